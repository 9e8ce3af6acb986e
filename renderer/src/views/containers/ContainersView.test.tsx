// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../../electron/contract/model';
import { applyPortTable } from '../../stores/ports';
import { containersStore } from '../../stores/domains';
import { AgentConnection, setConnection, useConnection } from '../../connection/connection';
import { ContainersView } from './ContainersView';

const web: ContainerSummary = {
  id: 'web-id',
  name: 'web',
  image: 'busybox',
  imageId: 'sha256:1',
  command: 'httpd',
  state: 'running',
  status: 'Up 1 minute',
  created: 0,
  ports: [{ hostIp: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' }],
  project: null,
  service: null,
  labels: {},
  mounts: [],
  networks: [],
};

// happy-dom has no layout: give the list a window's height so the virtualized rows render.
beforeAll(() => {
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 700 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1000 });
});
afterAll(() => {
  delete (HTMLElement.prototype as { clientHeight?: number }).clientHeight;
  delete (HTMLElement.prototype as { clientWidth?: number }).clientWidth;
});

afterEach(() => {
  cleanup();
  applyPortTable([]);
});

describe('the container list', () => {
  it('says in words, under the row, that a published port is taken on the host', () => {
    setConnection(new AgentConnection(null));
    useConnection.setState({ state: 'open', attempt: 0 });
    containersStore.getState().apply({ kind: 'snapshot', ready: true, items: [web] });
    render(<ContainersView />);
    expect(screen.queryByText(/Not reachable from this computer/)).toBeNull();
    act(() =>
      applyPortTable([
        { containerId: 'web-id', containerName: 'web', hostIp: '127.0.0.1', protocol: 'tcp', hostPort: 8080, guestPort: 8080, containerPort: 80, state: 'failed', error: 'port 8080 is in use on the host by another program' },
      ]),
    );
    expect(screen.getByText(/Not reachable from this computer: port 8080: port 8080 is in use on the host by another program/)).toBeTruthy();
  });
});
