import type { PortForward } from '../../../electron/contract/ports';
import { portsStore } from './ports';

/**
 * The forwards of a just-started container that the host could not open, once the agent has reported all of
 * `count` of them (or `timeoutMs` passed: a slow report must not hold the user up, the row says it later too).
 */
export function awaitFailedForwards(containerId: string, count: number, timeoutMs = 3000): Promise<PortForward[]> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const forwards = portsStore.getState().byContainer.get(containerId);
      if (!forwards || forwards.size < count) return false;
      done([...forwards.values()].filter((f) => f.state === 'failed'));
      return true;
    };
    const timer = setTimeout(() => {
      const forwards = portsStore.getState().byContainer.get(containerId);
      done([...(forwards?.values() ?? [])].filter((f) => f.state === 'failed'));
    }, timeoutMs);
    const off = portsStore.subscribe(() => void check());
    function done(failed: PortForward[]) {
      clearTimeout(timer);
      off();
      resolve(failed);
    }
    if (count === 0) done([]);
    else check();
  });
}
