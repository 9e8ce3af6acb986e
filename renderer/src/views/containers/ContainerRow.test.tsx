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
