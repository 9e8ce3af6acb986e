/**
 * Published ports and shared folders against a real Berth: agent + QEMU VM + dockerd, driven by the host's
 * docker CLI. One VM for the whole file (boots take tens of seconds under TCG).
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PortForward } from '../contract/contract';
import { TEST_IMAGE, ensureTestImage, killAgentSshSessions, startBerth, waitFor, type BerthUnderTest } from '../testing/vm-fixture';

let b: BerthUnderTest;
const t0 = Date.now();
const mark = (what: string) => process.env.BERTH_TEST_VERBOSE && console.log(`[${((Date.now() - t0) / 1000).toFixed(1)}s] ${what}`);

beforeAll(async () => {
  b = await startBerth({ log: (l) => process.env.BERTH_TEST_VERBOSE && console.log(l) });
  await ensureTestImage(b);
});

afterAll(async () => {
  await b?.stop();
});

async function ports(): Promise<PortForward[]> {
  const c = await b.client();
  try {
    return await c.call('ports.list', {});
  } finally {
    c.close();
  }
}

const forwardOf = (port: number) => (t: PortForward[]) => t.find((f) => f.hostPort === port);

function connectResult(port: number): Promise<'open' | string> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve('open');
    });
    s.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
  });
}

/**
 * `preferred` when nothing on the host holds it, else one the OS picks: other suites on this shared machine
 * (the UI's e2e publishes 18080 too) run Berth agents that forward the same numbers.
 */
async function hostPort(preferred = 0): Promise<number> {
  const tryListen = (port: number) =>
    new Promise<number | null>((resolve) => {
      const s = net.createServer();
      s.once('error', () => resolve(null));
      s.listen(port, '127.0.0.1', () => {
        const got = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(got));
      });
    });
  return (preferred && (await tryListen(preferred))) || (await tryListen(0))!;
}

async function ipv6Loopback(): Promise<boolean> {
  const s = net.createServer();
  return new Promise((resolve) => {
    s.once('error', () => resolve(false));
    s.listen(0, '::1', () => s.close(() => resolve(true)));
  });
}

async function httpd(name: string, publish: string): Promise<string> {
  return b.docker('run', '-d', '--name', name, '-p', publish, TEST_IMAGE, 'busybox', 'httpd', '-f', '-p', '80', '-h', '/www');
}

describe('published ports', () => {
  it('serves a container port on the host loopback and closes it after docker stop', async () => {
    const port = await hostPort(18080);
    await httpd('web', `${port}:80`);
    const t = await waitFor(ports, (t) => forwardOf(port)(t)?.state === 'forwarded', 30_000, `forward of ${port}`);
    expect(forwardOf(port)(t)).toMatchObject({ hostIp: '127.0.0.1', guestPort: port, containerPort: 80, containerName: 'web', protocol: 'tcp', via: 'hypervisor' });

    const res = await fetch(`http://127.0.0.1:${port}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello from berth\n');
    // QEMU listens on IPv4 only; `localhost` resolving to ::1 is relayed to it.
    if (await ipv6Loopback()) expect(await (await fetch(`http://[::1]:${port}/`)).text()).toBe('hello from berth\n');

    const status = await b.berth('status');
    expect(status.stdout).toContain(`ports   127.0.0.1:${port} -> web:80/tcp  (VM network)`);

    await b.docker('stop', '-t', '1', 'web');
    await waitFor(ports, (t) => !forwardOf(port)(t), 20_000, `${port} to go away`);
    expect(await connectResult(port)).toBe('ECONNREFUSED');
    await b.docker('rm', 'web');
  });

  it("carries a connection through the VM's network and ends it when the container stops", async () => {
    const port = await hostPort(18084);
    // One `cat` per connection: an echo that holds the connection open until either side ends it.
    await b.docker('run', '-d', '--name', 'echo', '-p', `${port}:7`, TEST_IMAGE, 'busybox', 'nc', '-ll', '-p', '7', '-e', '/bin/busybox', 'cat');
    await waitFor(ports, (t) => forwardOf(port)(t)?.state === 'forwarded', 30_000, `forward of ${port}`);
    expect(forwardOf(port)(await ports())?.via).toBe('hypervisor');
    const sock = net.connect(port, '127.0.0.1');
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    sock.on('error', () => undefined);
    let got = '';
    sock.on('data', (d) => (got += d.toString()));
    sock.write('ping\n');
    await waitFor(async () => got, (g) => g === 'ping\n', 15_000, 'the echo');

    await b.docker('stop', '-t', '1', 'echo');
    await closed;
    await waitFor(ports, (t) => !forwardOf(port)(t), 20_000, `${port} to go away`);
    expect(await connectResult(port)).toBe('ECONNREFUSED');
    await b.docker('rm', 'echo');
  });

  it("keeps a port published only on the VM's loopback on the SSH path", async () => {
    const port = await hostPort(18085);
    await httpd('local', `127.0.0.1:${port}:80`);
    const t = await waitFor(ports, (t) => forwardOf(port)(t)?.state === 'forwarded', 30_000, `forward of ${port}`);
    expect(forwardOf(port)(t)).toMatchObject({ hostIp: '127.0.0.1', via: 'ssh' });
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('hello from berth\n');
    expect((await b.berth('status')).stdout).toContain(`127.0.0.1:${port} -> local:80/tcp  (SSH)`);
    await b.docker('rm', '-f', 'local');
    await waitFor(ports, (t) => !forwardOf(port)(t), 20_000, `${port} to go away`);
  });

  it('reports a host port taken by another program as not forwarded, keeps the container running, and forwards it once freed', async () => {
    const squatter = net.createServer((s) => s.end('squatter\n'));
    const port = await hostPort(18081);
    await new Promise<void>((r) => squatter.listen(port, '127.0.0.1', () => r()));
    try {
      await httpd('clash', `${port}:80`);
      const t = await waitFor(ports, (t) => forwardOf(port)(t)?.state === 'failed', 30_000, `failed forward of ${port}`);
      expect(forwardOf(port)(t)!.error).toBe(`port ${port} is in use on the host by another program`);
      expect(await b.docker('inspect', '-f', '{{.State.Running}}', 'clash')).toBe('true');
      const status = await b.berth('status');
      expect(status.stdout).toContain(`127.0.0.1:${port} -> clash:80/tcp  NOT FORWARDED: port ${port} is in use on the host by another program`);
      // Inside the VM the port works: only the host side is taken.
      expect(await b.docker('run', '--rm', '--network', 'host', TEST_IMAGE, 'busybox', 'wget', '-qO-', `http://127.0.0.1:${port}/`)).toBe('hello from berth');

      // The other program exits: the forward follows within seconds, with no container event to trigger it.
      await new Promise<void>((r) => squatter.close(() => r()));
      await waitFor(ports, (t) => forwardOf(port)(t)?.state === 'forwarded', 15_000, `forward of ${port} once freed`);
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('hello from berth\n');
      expect((await b.berth('status')).stdout).not.toContain('NOT FORWARDED');
    } finally {
      if (squatter.listening) await new Promise<void>((r) => squatter.close(() => r()));
      await b.docker('rm', '-f', 'clash');
    }
  });

  it('works again after the SSH connection drops, with no user action', async () => {
    const [p1, p2] = [await hostPort(18082), await hostPort(18083)];
    // Published on the VM's loopback, so this forward rides the SSH connection that is about to drop.
    await httpd('survivor', `127.0.0.1:${p1}:80`);
    await waitFor(ports, (t) => forwardOf(p1)(t)?.via === 'ssh', 30_000, `forward of ${p1}`);
    const c = await b.client();
    const before = await c.call('vm.status', {});
    if (before.vm.state !== 'running') throw new Error('VM not running');
    const tunnelStates: string[] = [];
    const watch = c.open('vm.state', {}, { onItem: (d) => void tunnelStates.push(d.tunnel) });
    watch.done.catch(() => undefined);

    mark('killing the agent sshd sessions');
    const out = await killAgentSshSessions(b, before.vm.sshPort);
    mark(`ssh: ${out}`);
    expect(out).toMatch(/killed=[1-9]/);
    await waitFor(async () => tunnelStates, (s) => s.includes('disconnected') && s.at(-1) === 'connected', 30_000, 'tunnel to reconnect');
    mark(`tunnel states: ${tunnelStates.join(' ')}`);
    watch.cancel();
    c.close();

    // The listener survived the drop and reaches the container over the new connection.
    const res = await fetch(`http://127.0.0.1:${p1}/`);
    expect(await res.text()).toBe('hello from berth\n');
    mark(`fetched ${p1} after the reconnect`);
    // Events are followed again: a port published after the reconnect is forwarded too.
    await httpd('after', `${p2}:80`);
    mark('started a container after the reconnect');
    await waitFor(ports, (t) => forwardOf(p2)(t)?.state === 'forwarded', 30_000, `forward of ${p2}`);
    mark(`${p2} forwarded`);
    expect(await (await fetch(`http://127.0.0.1:${p2}/`)).text()).toBe('hello from berth\n');
    await b.docker('rm', '-f', 'survivor', 'after');
    await waitFor(ports, (t) => !forwardOf(p1)(t) && !forwardOf(p2)(t), 20_000, 'forwards to go away');
  });
});

describe('shared folders', () => {
  it('a host file is read in the container and a container-written file is readable on the host', async () => {
    const dir = path.join(b.shareDir, 'project');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'in.txt'), 'from the host\n');
    expect(await b.docker('run', '--rm', '-v', `${dir}:/data`, TEST_IMAGE, 'busybox', 'cat', '/data/in.txt')).toBe('from the host');

    await b.docker('run', '--rm', '-v', `${dir}:/data`, TEST_IMAGE, 'sh', '-c', 'echo from the container > /data/out.txt && busybox mkdir /data/made');
    const out = path.join(dir, 'out.txt');
    expect(fs.readFileSync(out, 'utf8')).toBe('from the container\n');
    const st = fs.statSync(out);
    expect(st.uid).toBe(os.userInfo().uid);
    // Real modes (security_model=none): the container's umask 022 gives 0644, not mapped-xattr's 0600.
    expect(st.mode & 0o777).toBe(0o644);
    expect(fs.statSync(path.join(dir, 'made')).mode & 0o777).toBe(0o755);
  });

  it('explains a bind mount outside every share', async () => {
    const c = await b.client();
    try {
      const check = await c.call('shares.check', { hostPath: '/opt/data' });
      expect(check).toMatchObject({ hostPath: '/opt/data', ok: false });
      expect(check.message).toMatch(/^\/opt\/data is not shared with the Berth VM.*Settings > Shared folders/);
      expect(await c.call('shares.check', { hostPath: `${b.shareDir}/project:/app:ro` })).toMatchObject({ ok: true, message: null });
      const view = await c.call('shares.list', {});
      // virtiofs where the host has a virtiofsd (`berth doctor --fix` provides one), else 9p.
      expect(view.active).toEqual([{ tag: 'berth0', path: b.shareDir, transport: expect.stringMatching(/^(virtiofs|9p)$/) }]);
      expect(view.restartRequired).toBe(false);
    } finally {
      c.close();
    }
  });
});

describe('published ports across a VM restart', () => {
  it('are served again through the new QEMU: its forwards start empty and the service adds them back', async () => {
    const port = await hostPort(18086);
    await b.docker('run', '-d', '--name', 'phoenix', '--restart', 'always', '-p', `${port}:80`, TEST_IMAGE, 'busybox', 'httpd', '-f', '-p', '80', '-h', '/www');
    await waitFor(ports, (t) => forwardOf(port)(t)?.via === 'hypervisor', 30_000, `forward of ${port}`);
    const c = await b.client();
    const pidOf = async () => {
      const s = await c.call('vm.status', {});
      return s.vm.state === 'running' ? s.vm.pid : null;
    };
    try {
      const before = await pidOf();
      const restarted = await b.berth('restart');
      expect(restarted.code, restarted.stderr).toBe(0);
      expect(await pidOf()).not.toBe(before);
      // dockerd brings the container back on boot; its start event drives the forward, on the new QEMU.
      const t = await waitFor(ports, (t) => forwardOf(port)(t)?.state === 'forwarded', 60_000, `forward of ${port} after the restart`);
      expect(forwardOf(port)(t)?.via).toBe('hypervisor');
      expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('hello from berth\n');
    } finally {
      c.close();
      await b.docker('rm', '-f', 'phoenix');
    }
  });
});
