/**
 * The forwarder's hypervisor path against a real QEMU user network (`-machine none`: no guest behind it, so
 * QEMU's listeners accept and then wait for a guest that never answers; the VM suite moves real bytes). The SSH
 * path's "guest" is a loopback echo server, as in forwarder.test.ts.
 */
import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startNetdevQemu, type NetdevQemu } from '../testing/netdev-qemu';
import { QemuHostForwards } from '../vm/host-forwards';
import { PortForwarder } from './forwarder';
import { desiredForwards, type ContainerPorts } from './plan';
import { freeLoopbackPort as freePort } from '../vm/net-util';

let q: NetdevQemu;
let qemuForwards: QemuHostForwards;
beforeAll(async () => {
  q = await startNetdevQemu(await freePort());
  qemuForwards = new QemuHostForwards(() => q.qmp, () => q.sshPort);
});
afterAll(async () => {
  await q?.stop();
});
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const connects = (port: number, host = '127.0.0.1') =>
  new Promise<boolean>((resolve) => {
    const s = net.connect(port, host);
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });

async function qemuRules(): Promise<string[]> {
  return (await qemuForwards.list()).map((f) => `${f.protocol}/${f.hostIp}/${f.hostPort}`);
}

function container(ip: string, hostPort: number, type = 'tcp'): ContainerPorts {
  return { Id: 'web-id', Names: ['/web'], Ports: [{ IP: ip, PrivatePort: 80, PublicPort: hostPort, Type: type }] };
}

async function guestEcho(): Promise<number> {
  const guest = net.createServer((s) => s.end('over ssh'));
  await new Promise<void>((r) => guest.listen(0, '127.0.0.1', () => r()));
  cleanups.push(() => new Promise<void>((r) => guest.close(() => r())));
  return (guest.address() as net.AddressInfo).port;
}

function forwarder(guestPort = 1): PortForwarder {
  // The SSH stand-in ignores the guest port it is asked for: specs name the host port, the echo has its own.
  const fwd = new PortForwarder(async (host) => net.connect(guestPort, host), qemuForwards);
  cleanups.push(() => fwd.closeAll());
  return fwd;
}

describe('PortForwarder through the VM network', () => {
  it('serves a port published on all guest addresses from QEMU, relays ::1 to it, and removes it on close', async () => {
    const fwd = forwarder();
    const port = await freePort();
    await fwd.apply(desiredForwards([container('0.0.0.0', port)], { exposeOnAllInterfaces: false }));
    expect(fwd.list()).toEqual([expect.objectContaining({ hostIp: '127.0.0.1', hostPort: port, state: 'forwarded', via: 'hypervisor' })]);
    expect(await qemuRules()).toContain(`tcp/127.0.0.1/${port}`);
    expect(await connects(port)).toBe(true);

    // QEMU forwards IPv4 only: the ::1 twin carries `localhost` to QEMU's listener (QEMU then dials the guest).
    const v6 = await connects(port, '::1');
    if (v6) {
      const connections = async () => (await q.qmp.execute('human-monitor-command', { 'command-line': 'info usernet' })) as string;
      await expect.poll(connections).toMatch(new RegExp(`TCP\\[SYN_SENT\\]\\s+\\d+\\s+127\\.0\\.0\\.1\\s+${port}\\s`));
    }

    await fwd.apply([]);
    expect(await qemuRules()).not.toContain(`tcp/127.0.0.1/${port}`);
    expect(await connects(port)).toBe(false);
    if (v6) expect(await connects(port, '::1')).toBe(false);
  });

  it('moves QEMU\'s listener to 0.0.0.0 when all interfaces are allowed, and back', async () => {
    const fwd = forwarder();
    const port = await freePort();
    await fwd.apply(desiredForwards([container('0.0.0.0', port)], { exposeOnAllInterfaces: true }));
    expect(fwd.list()[0]).toMatchObject({ hostIp: '0.0.0.0', via: 'hypervisor', state: 'forwarded' });
    expect(await qemuRules()).toContain(`tcp/0.0.0.0/${port}`);
    await fwd.apply(desiredForwards([container('0.0.0.0', port)], { exposeOnAllInterfaces: false }));
    expect(await qemuRules()).toContain(`tcp/127.0.0.1/${port}`);
    expect(await qemuRules()).not.toContain(`tcp/0.0.0.0/${port}`);
  });

  it('reports a host port another program holds in the same words as the SSH path, and takes it once freed', async () => {
    const squatter = net.createServer((s) => s.end('squatter'));
    const port = await new Promise<number>((r) => squatter.listen(0, '127.0.0.1', () => r((squatter.address() as net.AddressInfo).port)));
    const fwd = forwarder();
    const want = desiredForwards([container('0.0.0.0', port)], { exposeOnAllInterfaces: false });
    await fwd.apply(want);
    expect(fwd.list()).toEqual([
      expect.objectContaining({ hostPort: port, state: 'failed', error: `port ${port} is in use on the host by another program` }),
    ]);
    expect(fwd.list()[0].via).toBeUndefined();

    await new Promise<void>((r) => squatter.close(() => r()));
    await fwd.apply(want);
    expect(fwd.list()[0]).toMatchObject({ state: 'forwarded', via: 'hypervisor' });
  });

  it('keeps SSH for a port published only on the guest loopback, and when QEMU is not there', async () => {
    const guestPort = await guestEcho();
    const fwd = forwarder(guestPort);
    const port = await freePort();
    await fwd.apply(desiredForwards([container('127.0.0.1', port)], { exposeOnAllInterfaces: false }));
    expect(fwd.list()[0]).toMatchObject({ state: 'forwarded', via: 'ssh' });
    expect(await qemuRules()).not.toContain(`tcp/127.0.0.1/${port}`);

    const noQemu = new PortForwarder(async (host) => net.connect(guestPort, host), new QemuHostForwards(() => null, () => null));
    cleanups.push(() => noQemu.closeAll());
    const other = await freePort();
    await noQemu.apply(desiredForwards([container('0.0.0.0', other)], { exposeOnAllInterfaces: false }));
    expect(noQemu.list()[0]).toMatchObject({ state: 'forwarded', via: 'ssh' });
  });

  it('forwards UDP through QEMU, says plainly when the port is taken, and explains UDP on the guest loopback', async () => {
    const fwd = forwarder();
    const port = await freePort();
    await fwd.apply(desiredForwards([container('0.0.0.0', port, 'udp')], { exposeOnAllInterfaces: false }));
    expect(fwd.list()[0]).toMatchObject({ protocol: 'udp', state: 'forwarded', via: 'hypervisor' });
    expect(await qemuRules()).toContain(`udp/127.0.0.1/${port}`);

    const { default: dgram } = await import('node:dgram');
    const holder = dgram.createSocket('udp4');
    const taken = await new Promise<number>((r) => holder.bind(0, '127.0.0.1', () => r(holder.address().port)));
    cleanups.push(() => void holder.close());
    await fwd.apply(desiredForwards([container('0.0.0.0', taken, 'udp')], { exposeOnAllInterfaces: false }));
    expect(fwd.list()[0]).toMatchObject({ state: 'failed', error: `port ${taken} is in use on the host by another program` });

    await fwd.apply(desiredForwards([container('127.0.0.1', port, 'udp')], { exposeOnAllInterfaces: false }));
    expect(fwd.list()[0]).toMatchObject({ state: 'failed', error: expect.stringMatching(/only on the VM's loopback/) });
  });

  it('while the VM network cannot be used (a Resource Saver pause) serves the port over SSH, then moves back; an open connection lives on', async () => {
    let usable = true;
    const pausable = {
      available: () => usable && qemuForwards.available(),
      add: (r: Parameters<QemuHostForwards['add']>[0]) => qemuForwards.add(r),
      remove: (r: Parameters<QemuHostForwards['remove']>[0]) => qemuForwards.remove(r),
      sweep: () => qemuForwards.sweep(),
    };
    const guest = net.createServer((s) => s.on('data', (d) => s.write(d)));
    await new Promise<void>((r) => guest.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => guest.close(() => r())));
    const guestPort = (guest.address() as net.AddressInfo).port;
    const fwd = new PortForwarder(async (host) => net.connect(guestPort, host), pausable);
    cleanups.push(() => fwd.closeAll());
    const port = await freePort();
    await fwd.apply(desiredForwards([container('0.0.0.0', port)], { exposeOnAllInterfaces: false }));
    expect(fwd.list()[0]).toMatchObject({ via: 'hypervisor' });

    usable = false;
    await fwd.repath();
    expect(fwd.list()[0]).toMatchObject({ state: 'forwarded', via: 'ssh' });
    expect(await qemuRules()).not.toContain(`tcp/127.0.0.1/${port}`);
    // A connection made now takes the SSH path (whose channel is what wakes a paused VM) ...
    const conn = net.connect(port, '127.0.0.1');
    cleanups.push(() => void conn.destroy());
    const echo = (text: string) =>
      new Promise<string>((resolve) => {
        conn.once('data', (d) => resolve(d.toString()));
        conn.write(text);
      });
    expect(await echo('ping')).toBe('ping');

    // ... and outlives the move back onto the VM network.
    usable = true;
    await fwd.repath();
    expect(fwd.list()[0]).toMatchObject({ state: 'forwarded', via: 'hypervisor' });
    expect(await qemuRules()).toContain(`tcp/127.0.0.1/${port}`);
    expect(await echo('still here')).toBe('still here');
  });
});
