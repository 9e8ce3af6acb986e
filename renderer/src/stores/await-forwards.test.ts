import { afterEach, describe, expect, it } from 'vitest';
import type { PortForward } from '../../../electron/contract/ports';
import { applyPortTable } from './ports';
import { awaitFailedForwards } from './await-forwards';

const base = { containerId: 'c1', containerName: 'web', hostIp: '127.0.0.1', protocol: 'tcp' as const };
const ok: PortForward = { ...base, hostPort: 8080, guestPort: 8080, containerPort: 80, state: 'forwarded' };
const taken: PortForward = { ...base, hostPort: 8443, guestPort: 8443, containerPort: 443, state: 'failed', error: 'port 8443 is in use on the host by another program' };

afterEach(() => applyPortTable([]));

describe('waiting for a new container’s port forwards', () => {
  it('reports the ports the host could not give once all of them are known', async () => {
    const waiting = awaitFailedForwards('c1', 2, 5000);
    applyPortTable([ok]);
    applyPortTable([ok, taken]);
    expect(await waiting).toEqual([taken]);
  });

  it('does not hold the user up when the agent is slow to report', async () => {
    const started = Date.now();
    expect(await awaitFailedForwards('c1', 1, 100)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
