import type Docker from 'dockerode';
import type { ContainerAction } from '../contract/model';
import { engineError, isNotModified } from './docker-errors';

/** One action on one container, as the engine does it; "already in that state" is not an error. */
export async function containerAction(
  docker: Docker,
  id: string,
  action: ContainerAction,
  opts: { force?: boolean; volumes?: boolean; name: string },
): Promise<void> {
  const c = docker.getContainer(id);
  try {
    switch (action) {
      case 'remove':
        await c.remove({ force: opts.force, v: opts.volumes });
        break;
      case 'kill':
        await c.kill();
        break;
      case 'start':
        await c.start();
        break;
      case 'stop':
        await c.stop();
        break;
      case 'restart':
        await c.restart();
        break;
      case 'pause':
        await c.pause();
        break;
      case 'unpause':
        await c.unpause();
        break;
    }
  } catch (err) {
    if (!isNotModified(err)) throw engineError(err, `Could not ${action} ${opts.name}`);
  }
}
