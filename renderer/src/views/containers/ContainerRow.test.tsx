// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeContainer } from './test-fixtures';
import { applyPortTable } from '../../stores/ports';
import { ContainerRow } from './ContainerRow';

const web = fakeContainer('web-id', 'web', {
  ports: [
    { hostIp: '0.0.0.0', privatePort: 80, publicPort: 8080, type: 'tcp' },
    { hostIp: '0.0.0.0', privatePort: 443, publicPort: 8443, type: 'tcp' },
  ],
});

const noop = () => {};

describe('a container row and its forwarded ports', () => {
  afterEach(() => {
    cleanup();
    applyPortTable([]);
  });

  it('links forwarded ports and explains a port the host could not give', () => {
    render(<ContainerRow c={web} inGroup={false} selected={false} pending={undefined} onSelect={noop} onAction={noop} onOpen={noop} />);
    expect(screen.getByRole('link', { name: 'Open port 8080 in the browser' })).toBeTruthy();
    const base = { containerId: 'web-id', containerName: 'web', hostIp: '127.0.0.1', protocol: 'tcp' as const };
    act(() =>
      applyPortTable([
        { ...base, hostPort: 8080, guestPort: 8080, containerPort: 80, state: 'forwarded' },
        { ...base, hostPort: 8443, guestPort: 8443, containerPort: 443, state: 'failed', error: 'port 8443 is in use on the host by another program' },
      ]),
    );
    expect(screen.getByRole('link', { name: 'Open port 8080 in the browser' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Open port 8443 in the browser' })).toBeNull();
    expect(screen.getByRole('note', { name: /Port 8443 not forwarded: port 8443 is in use on the host/ })).toBeTruthy();
  });
});

describe('a container row says why it stopped', () => {
  afterEach(cleanup);
  const row = (c: ReturnType<typeof fakeContainer>) =>
    render(<ContainerRow c={c} inGroup={false} selected={false} pending={undefined} onSelect={noop} onAction={noop} onOpen={noop} />);

  it('shows OOM-killed, an exit code with its meaning, a restart loop and an unhealthy badge', () => {
    row(fakeContainer('a', 'hog', { state: 'exited', status: 'Exited (137) 1 minute ago', exitCode: 137, oomKilled: true }));
    expect(screen.getByText('OOM-killed')).toBeTruthy();
    cleanup();
    row(fakeContainer('b', 'job', { state: 'exited', status: 'Exited (3) 1 minute ago', exitCode: 3 }));
    expect(screen.getByText('Exited (3): error')).toBeTruthy();
    cleanup();
    row(fakeContainer('c', 'flappy', { state: 'restarting', status: 'Restarting (1) 2 seconds ago', restartCount: 5 }));
    expect(screen.getByText('Restarting (5×) — restart loop')).toBeTruthy();
    cleanup();
    row(fakeContainer('d', 'sick', { status: 'Up 2 minutes (unhealthy)', health: 'unhealthy' }));
    expect(screen.getByText('unhealthy')).toBeTruthy();
  });
});
