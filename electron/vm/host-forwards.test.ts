import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNetdevQemu, type NetdevQemu } from '../testing/netdev-qemu';
import { QemuHostForwards, parseHostForwards } from './host-forwards';
import { freeLoopbackPort as freePort } from './net-util';

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

let q: NetdevQemu;
beforeAll(async () => {
  q = await startNetdevQemu(await freePort());
});
afterAll(async () => {
  await q?.stop();
});

describe('QemuHostForwards against a real QEMU user network', () => {
  it('adds a forward that listens on the host, refuses a port another program holds, and removes it', async () => {
    const fwd = new QemuHostForwards(() => q.qmp, () => q.sshPort);
    const port = await freePort();
    await fwd.add({ protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port, guestPort: 80 });
    expect(await fwd.list()).toContainEqual({ protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port });
    expect(await connects(port)).toBe(true);

    const squatter = net.createServer();
    const taken = await new Promise<number>((r) => squatter.listen(0, '127.0.0.1', () => r((squatter.address() as net.AddressInfo).port)));
    try {
      await expect(fwd.add({ protocol: 'tcp', hostIp: '127.0.0.1', hostPort: taken, guestPort: 80 })).rejects.toThrow(
        `Could not set up host forwarding rule 'tcp:127.0.0.1:${taken}-:80'`,
      );
    } finally {
      squatter.close();
    }

    await fwd.remove({ protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port });
    expect(await connects(port)).toBe(false);
    // Already gone (the VM restarted, or a sweep took it): not an error.
    await fwd.remove({ protocol: 'tcp', hostIp: '127.0.0.1', hostPort: port });
  });

  it('sweeps forwards left by a previous agent before its first add, keeping the SSH forward', async () => {
    const previous = new QemuHostForwards(() => q.qmp, () => q.sshPort);
    const [stale, staleUdp, fresh] = [await freePort(), await freePort(), await freePort()];
    await previous.add({ protocol: 'tcp', hostIp: '0.0.0.0', hostPort: stale, guestPort: 80 });
    await previous.add({ protocol: 'udp', hostIp: '127.0.0.1', hostPort: staleUdp, guestPort: 53 });

    const adopter = new QemuHostForwards(() => q.qmp, () => q.sshPort);
    await Promise.all([
      adopter.add({ protocol: 'tcp', hostIp: '127.0.0.1', hostPort: fresh, guestPort: 80 }),
      // A concurrent add waits for the same sweep rather than sweeping away its sibling.
      adopter.add({ protocol: 'udp', hostIp: '127.0.0.1', hostPort: fresh, guestPort: 53 }),
    ]);
    expect(await adopter.list()).toEqual(
      expect.arrayContaining([
        { protocol: 'tcp', hostIp: '127.0.0.1', hostPort: q.sshPort },
        { protocol: 'tcp', hostIp: '127.0.0.1', hostPort: fresh },
        { protocol: 'udp', hostIp: '127.0.0.1', hostPort: fresh },
      ]),
    );
    const ports = (await adopter.list()).map((f) => f.hostPort);
    expect(ports).not.toContain(stale);
    expect(ports).not.toContain(staleUdp);

    // With nothing to add (every container gone meanwhile), an explicit sweep frees the ports all the same;
    // after it, the adopter's own forwards are left alone.
    const leftover = await freePort();
    await previous.add({ protocol: 'tcp', hostIp: '127.0.0.1', hostPort: leftover, guestPort: 80 });
    const next = new QemuHostForwards(() => q.qmp, () => q.sshPort);
    await next.sweep();
    expect((await next.list()).map((f) => f.hostPort)).not.toContain(leftover);
    await next.add({ protocol: 'tcp', hostIp: '127.0.0.1', hostPort: leftover, guestPort: 80 });
    await next.sweep();
    expect((await next.list()).map((f) => f.hostPort)).toContain(leftover);
  });

  it('is unavailable without a QMP connection, and says so when asked to add', async () => {
    const fwd = new QemuHostForwards(() => null, () => null);
    expect(fwd.available()).toBe(false);
    await expect(fwd.add({ protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 1, guestPort: 1 })).rejects.toThrow(/QEMU is not running/);
    await fwd.remove({ protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 1 });
  });
});

describe('parseHostForwards', () => {
  it("reads QEMU 7.2's info usernet, wildcard binds spelled as hostfwd_remove wants them", () => {
    const out =
      'Hub -1 (net0):\r\n  Protocol[State]    FD  Source Address  Port   Dest. Address  Port RecvQ SendQ\r\n' +
      '  TCP[HOST_FORWARD]  16               * 50103       10.0.2.15    80     0     0\r\n' +
      '  TCP[ESTABLISHED]   17       127.0.0.1 50104       10.0.2.15    80     0     0\r\n' +
      '  UDP[HOST_FORWARD]  15       127.0.0.1 50102       10.0.2.15    53     0     0\r\n';
    expect(parseHostForwards(out)).toEqual([
      { protocol: 'tcp', hostIp: '0.0.0.0', hostPort: 50103 },
      { protocol: 'udp', hostIp: '127.0.0.1', hostPort: 50102 },
    ]);
  });
});
