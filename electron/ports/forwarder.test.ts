import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { PortForwarder } from './forwarder';
import { desiredForwards } from './plan';

// The forwarder against real sockets: the "guest" is a TCP echo server on loopback, reached by a connector
// that stands where the SSH channel stands in the agent.
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function listen(server: net.Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
  return (server.address() as net.AddressInfo).port;
}

async function freePort(): Promise<number> {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise<void>((r) => s.close(() => r()));
  cleanups.pop();
  return port;
}

function roundTrip(port: number, payload: string, host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = net.connect(port, host);
    let got = '';
    c.on('data', (d) => (got += d.toString()));
    c.on('end', () => resolve(got));
    c.on('error', reject);
    c.end(payload);
  });
}

async function ipv6Loopback(): Promise<boolean> {
  const s = net.createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
}

function spec(hostPort: number, guestPort: number, name = 'web') {
  return desiredForwards(
    [{ Id: `${name}-id`, Names: [`/${name}`], Ports: [{ IP: '0.0.0.0', PrivatePort: 80, PublicPort: hostPort, Type: 'tcp' }] }],
    { exposeOnAllInterfaces: false },
  ).map((s) => ({ ...s, guestPort }));
}

describe('PortForwarder', () => {
  it('carries bytes both ways, keeps half-closed clients until the reply is complete, and closes on removal', async () => {
    // Replies only after the client's FIN: proves allowHalfOpen end to end.
    const guest = net.createServer({ allowHalfOpen: true }, (s) => {
      const chunks: Buffer[] = [];
      s.on('data', (d) => chunks.push(d));
      s.on('end', () => s.end(`echo:${Buffer.concat(chunks).toString()}`));
    });
    const guestPort = await listen(guest);
    const fwd = new PortForwarder(async (host, port) => net.connect(port, host));
    cleanups.push(() => fwd.closeAll());
    const hostPort = await freePort();
    await fwd.apply(spec(hostPort, guestPort));
    expect(fwd.list()).toEqual([
      expect.objectContaining({ hostIp: '127.0.0.1', hostPort, guestPort, containerName: 'web', state: 'forwarded' }),
    ]);
    const big = 'x'.repeat(3 * 1024 * 1024);
    expect(await roundTrip(hostPort, big)).toBe(`echo:${big}`);
    // `localhost` often resolves to ::1 first; the loopback forward answers there too where the host has IPv6.
    if (await ipv6Loopback()) expect(await roundTrip(hostPort, 'v6', '::1')).toBe('echo:v6');

    await fwd.apply([]);
    expect(fwd.list()).toEqual([]);
    await expect(roundTrip(hostPort, 'hi')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('reports a host port taken by another program as failed, with the reason, and retries on the next pass', async () => {
    const squatter = net.createServer((s) => s.end('squatter'));
    const port = await listen(squatter);
    const guest = net.createServer((s) => s.end('guest'));
    const guestPort = await listen(guest);
    const fwd = new PortForwarder(async (host, p) => net.connect(p, host));
    cleanups.push(() => fwd.closeAll());
    const changes: unknown[] = [];
    fwd.on('changed', (t) => changes.push(t));

    await fwd.apply(spec(port, guestPort));
    expect(fwd.list()).toEqual([
      expect.objectContaining({ hostPort: port, state: 'failed', error: `port ${port} is in use on the host by another program` }),
    ]);
    expect(await roundTrip(port, '')).toBe('squatter');

    await new Promise<void>((r) => squatter.close(() => r()));
    await fwd.apply(spec(port, guestPort));
    expect(fwd.list()[0]).toMatchObject({ state: 'forwarded' });
    expect(fwd.list()[0].error).toBeUndefined();
    expect(await roundTrip(port, '')).toBe('guest');
    expect(changes).toHaveLength(2);
  });

  it('retargets new connections in place when another container takes over the port', async () => {
    const a = net.createServer((s) => s.end('a'));
    const b = net.createServer((s) => s.end('b'));
    const [pa, pb] = [await listen(a), await listen(b)];
    const fwd = new PortForwarder(async (host, p) => net.connect(p, host));
    cleanups.push(() => fwd.closeAll());
    const hostPort = await freePort();
    await fwd.apply(spec(hostPort, pa, 'one'));
    expect(await roundTrip(hostPort, '')).toBe('a');
    await fwd.apply(spec(hostPort, pb, 'two'));
    expect(fwd.list()[0]).toMatchObject({ containerName: 'two', state: 'forwarded' });
    expect(await roundTrip(hostPort, '')).toBe('b');
  });

  it('drops the client when the guest side cannot be reached', async () => {
    const fwd = new PortForwarder(async () => {
      throw new Error('no channel');
    });
    cleanups.push(() => fwd.closeAll());
    const hostPort = await freePort();
    await fwd.apply(spec(hostPort, 1));
    await expect(roundTrip(hostPort, 'x')).resolves.toBe('');
  });
});
