import type { ContainerSummary } from '../../../../electron/contract/model';
import { setConnection, type AgentConnection } from '../../connection/connection';

/** A running container as the store holds it, for component tests. */
export function fakeContainer(id: string, name: string, more: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id,
    name,
    image: 'busybox',
    imageId: 'sha256:1',
    command: 'httpd',
    state: 'running',
    status: 'Up 1 minute',
    created: 0,
    ports: [],
    project: null,
    service: null,
    labels: {},
    mounts: [],
    networks: [],
    ...more,
  };
}

/** happy-dom has no layout: a window-sized box for every element, so virtualized lists render rows. Returns the undo. */
export function fakeLayout(): () => void {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 700 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
  return () => {
    delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
    delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
  };
}

/** A stream a component opened on the fake agent; the test plays the agent's side through it. */
export interface FakeStream {
  name: string;
  params: Record<string, unknown>;
  push(item: unknown): Promise<void>;
  end(): void;
  written: unknown[];
  cancelled: boolean;
}

/** Puts a fake agent behind `agent()`: records opened streams, answers calls with `answer` (else refuses). */
export function fakeAgent(answer: (method: string, params: Record<string, unknown>) => unknown = () => undefined): FakeStream[] {
  const streams: FakeStream[] = [];
  const conn = {
    open(name: string, params: Record<string, unknown>, handlers: { onItem(i: unknown): Promise<void> | void; onEnd?(err?: unknown): void }) {
      const s: FakeStream = {
        name,
        params,
        written: [],
        cancelled: false,
        push: async (item) => void (await handlers.onItem(item)),
        end: () => handlers.onEnd?.(),
      };
      streams.push(s);
      return { write: (w: unknown) => s.written.push(w), cancel: () => (s.cancelled = true), done: new Promise(() => undefined) };
    },
    call: async (method: string, params: Record<string, unknown>) => {
      const r = answer(method, params);
      if (r === undefined) throw new Error(`${method} is not in this test`);
      return r;
    },
  };
  setConnection(conn as unknown as AgentConnection);
  return streams;
}
