import type { ContainerSummary } from '../../../../electron/contract/model';

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
