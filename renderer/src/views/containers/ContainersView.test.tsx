// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeContainer, fakeLayout } from './test-fixtures';
import { applyPortTable } from '../../stores/ports';
import { containersStore } from '../../stores/domains';
import { AgentConnection, setConnection, useConnection } from '../../connection/connection';
import { ContainersView } from './ContainersView';

const web = fakeContainer('web-id', 'web', { ports: [{ hostIp: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' }] });

let undoLayout: () => void;
beforeAll(() => void (undoLayout = fakeLayout()));
afterAll(() => undoLayout());

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
