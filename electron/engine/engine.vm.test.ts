/**
 * The real thing: QEMU boots the Berth guest, the engine comes up over the SSH tunnel, and the host's docker
 * CLI drives it through the host socket. One boot is shared by the whole file (TCG is slow); tests run in order
 * and later ones rely on state made by earlier ones (an image, a volume).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthPaths, type BerthPaths } from '../base/paths';
import { BerthError } from '../base/errors';
import { SettingsStore } from '../settings/store';
import { kvmUsable } from '../vm/hypervisor/accel';
import { berthGuest } from '../vm/guest-image';
import { isAlive } from '../vm/process-info';
import { Engine } from './engine';
import { busyboxContext } from '../testing/busybox';

const run = promisify(execFile);
const DOCKER = fs.existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker';
const IMAGE = 'berth-test/busybox:1';

let home: string;
let paths: BerthPaths;
let settings: SettingsStore;
let engine: Engine;
let bootMs = 0;

async function docker(...args: string[]): Promise<string> {
  const { stdout } = await run(DOCKER, args, {
    env: { ...process.env, DOCKER_HOST: `unix://${paths.dockerSocket}`, DOCKER_CONFIG: path.join(home, 'docker-config') },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout.trim();
}

function waitFor<T>(what: string, timeoutMs: number, check: () => T | null | undefined | Promise<T | null | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return (async () => {
    for (;;) {
      const v = await check();
      if (v) return v;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(engine.status())}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
}

beforeAll(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vmtest-'));
  paths = berthPaths(home);
  settings = new SettingsStore(paths.settings);
  // auto: on this host KVM exists but hangs, which exercises the probe-and-fall-back path once.
  await settings.update({ cpus: 2, memoryMiB: 2048, autoRestart: false, dockerContext: false, accel: 'auto' });
  engine = new Engine({ paths, settings, guest: berthGuest(), probeDeadlineMs: 15_000 });
  const t0 = Date.now();
  await engine.start();
  bootMs = Date.now() - t0;
});

afterAll(async () => {
  const pid = engine?.vm.info?.pid;
  await engine?.stop();
  if (pid) expect(isAlive(pid)).toBe(false);
  // The console is what explains a failure: keep it.
  fs.mkdirSync('reports', { recursive: true });
  for (const f of ['console.log.1', 'console.log']) {
    const src = path.join(paths.vm, f);
    if (fs.existsSync(src)) fs.appendFileSync('reports/engine-vm-console.log', fs.readFileSync(src));
  }
  fs.rmSync(home, { recursive: true, force: true });
});

describe('Berth engine in a real VM', () => {
  it('boots to a ready engine and remembers the accelerator that worked', async () => {
    const s = engine.status();
    expect(s.vm.state).toBe('running');
    expect(s.engine.ready).toBe(true);
    expect(s.tunnel).toBe('connected');
    const memo = JSON.parse(fs.readFileSync(path.join(paths.vm, 'accel.json'), 'utf8'));
    if (kvmUsable()) {
      // KVM guests hang on this machine: the probe must have given up on it and said why.
      expect(memo.accel).toBe('tcg');
      expect(memo.reason).toMatch(/kvm/);
    }
    expect(fs.statSync(paths.dockerSocket).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(paths.vm, 'id_ed25519')).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(path.join(paths.vm, 'ssh_host_key.pub'), 'utf8')).toMatch(/^ssh-ed25519 AAAA/);
    console.log(`boot to engine ready: ${(bootMs / 1000).toFixed(1)} s (with accelerator probe)`);
  });

  it('the docker CLI works through the host socket: info, build, run, ps, logs, exec, stop, rm, volumes', async () => {
    expect(await docker('info', '--format', '{{.ServerVersion}}')).toMatch(/^\d+\.\d+/);
    const ctx = busyboxContext(path.join(home, 'ctx'));
    await docker('build', '-q', '-t', IMAGE, ctx);
    expect(await docker('images', '--format', '{{.Repository}}:{{.Tag}}')).toContain(IMAGE);

    await docker('volume', 'create', 'berth-data');
    await docker('run', '--rm', '-v', 'berth-data:/data', IMAGE, 'sh', '-c', 'echo kept > /data/file');
    await docker('run', '-d', '--name', 'web', '-v', 'berth-data:/data', IMAGE, 'sh', '-c', 'echo started; cat /data/file; exec sleep 600');
    expect(await docker('ps', '--format', '{{.Names}} {{.Status}}')).toMatch(/^web Up/m);
    await waitFor('container logs', 10_000, async () => (await docker('logs', 'web')).includes('kept'));
    expect(await docker('logs', 'web')).toBe('started\nkept');
    expect(await docker('exec', 'web', 'sh', '-c', 'echo $((6*7))')).toBe('42');
    await docker('stop', '-t', '1', 'web');
    // dockerd's list view can trail the stop by a moment under load: wait for it rather than race it.
    await waitFor('web to show as exited', 10_000, async () =>
      /^Exited/.test(await docker('ps', '-a', '--filter', 'name=^web$', '--format', '{{.Status}}')),
    );
    await docker('rm', 'web');
    expect(await docker('ps', '-a', '--format', '{{.Names}}')).not.toContain('web');
  });

  it('dockerode over the tunnel: events stream and a hijacked exec', async () => {
    const d = engine.docker;
    const events = await d.getEvents({ filters: JSON.stringify({ type: ['container'], event: ['create'] }) });
    const created = new Promise<string>((resolve) => events.once('data', (b: Buffer) => resolve(JSON.parse(b.toString()).Actor.Attributes.name)));
    const c = await d.createContainer({ Image: IMAGE, name: 'ev', Cmd: ['sleep', '600'] });
    expect(await created).toBe('ev');
    (events as unknown as { destroy(): void }).destroy();
    await c.start();
    const exec = await c.exec({ Cmd: ['sh', '-c', 'read x; echo got:$x'], AttachStdin: true, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: true });
    let out = '';
    const stdout = new (await import('node:stream')).PassThrough();
    stdout.on('data', (b: Buffer) => (out += b.toString()));
    d.modem.demuxStream(stream, stdout, stdout);
    stream.write('hello\n');
    await waitFor('exec output', 15_000, () => out.includes('got:hello'));
    stream.end();
    await c.remove({ force: true });
  });

  it('reconnects on its own after the SSH connection is killed in the guest', async () => {
    const ups: number[] = [];
    const downs: number[] = [];
    engine.tunnel.on('connected', () => ups.push(Date.now()));
    engine.tunnel.on('disconnected', () => downs.push(Date.now()));
    // Kills the per-connection sshd processes ('sshd-session: root@notty', ours included), not the listener.
    await engine.tunnel.exec("pkill -f 'root@'").catch(() => undefined);
    await waitFor('disconnect', 15_000, () => downs.length > 0);
    await waitFor('reconnect', 30_000, () => ups.length > 0 && engine.status().engine.ready);
    expect(await docker('info', '--format', '{{.ServerVersion}}')).toMatch(/^\d+/);
    expect(String(await engine.docker.ping())).toBe('OK');
  });

  it('an unexpected QEMU death is an error with a reason; start again brings back images and volume data', async () => {
    await docker('run', '-d', '--name', 'victim', IMAGE, 'sleep', '600');
    // Let the guest commit what it wrote: kill -9 simulates a crash, not data loss we could have avoided.
    await engine.tunnel.exec('sync');
    const pid = engine.vm.info!.pid;
    process.kill(pid, 'SIGKILL');
    const s = await waitFor('error state', 15_000, () => {
      const v = engine.status().vm;
      return v.state === 'error' ? v : null;
    });
    expect(s.reason).toMatch(/unexpectedly.*SIGKILL/);
    expect(s.hint).toContain('berth start');
    expect(s.lastConsoleLines.length).toBeGreaterThan(0);
    await expect(engine.docker.ping()).rejects.toBeTruthy();

    await engine.start();
    expect(engine.status().engine.ready).toBe(true);
    expect(await docker('images', '--format', '{{.Repository}}:{{.Tag}}')).toContain(IMAGE);
    expect(await docker('run', '--rm', '-v', 'berth-data:/data', IMAGE, 'cat', '/data/file')).toBe('kept');
    await docker('rm', '-f', 'victim');
  });

  it('refuses a changed guest host key with a clear error naming the fix, and recovers after a reset', async () => {
    // A new key in place of the guest's, then the sshd listener restarted by the guest's supervisor.
    await engine.tunnel.exec(
      "ssh-keygen -q -t ed25519 -N '' -f /tmp/newkey && cat /tmp/newkey > /mnt/data/ssh/ssh_host_ed25519_key && " +
        "cat /tmp/newkey.pub > /mnt/data/ssh/ssh_host_ed25519_key.pub; (sleep 1; pkill sshd) </dev/null >/dev/null 2>&1 &",
    );
    const problem = await waitFor('refusal', 40_000, () => engine.status().problem);
    expect(problem.code).toBe('host-key-mismatch');
    expect(problem.hint).toContain('berth reset-host-key');
    const err = await engine.docker.ping().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).code).toBe('host-key-mismatch');

    await engine.resetHostKey();
    await waitFor('reconnect after reset', 30_000, () => engine.status().engine.ready);
    expect(String(await engine.docker.ping())).toBe('OK');
  });

  it('bad settings are refused with the field named, and nothing is written', async () => {
    const before = fs.readFileSync(paths.settings, 'utf8');
    const err = (await settings.update({ cpus: os.cpus().length + 1, memoryMiB: 'lots' }).catch((e: unknown) => e)) as BerthError;
    expect(err.code).toBe('bad-request');
    expect(err.message).toContain('memoryMiB must be a number');
    expect(fs.readFileSync(paths.settings, 'utf8')).toBe(before);
    const err2 = (await settings.update({ memoryMiB: 1024 * 1024 }).catch((e: unknown) => e)) as BerthError;
    expect(err2.message).toMatch(/memoryMiB is 1048576 MiB but this host has \d+ MiB/);
    expect(fs.readFileSync(paths.settings, 'utf8')).toBe(before);
  });

  it('a full data disk: the engine still starts after a restart, and a removal through the docker CLI frees it', async () => {
    await docker('volume', 'create', 'filler');
    // As a container writing as root would: every block, the ext4 root reserve included (fallocate writes nothing).
    const dir = '/mnt/data/docker/volumes/filler/_data';
    await engine.tunnel.exec(`cd ${dir} && i=0; while busybox fallocate -l 256M f$i 2>/dev/null; do i=$((i+1)); done; while busybox fallocate -l 1M g$i 2>/dev/null; do i=$((i+1)); done; sync`);
    await engine.stop();
    await engine.start();
    expect(engine.status().engine.ready).toBe(true);
    expect(engine.vm.consoleTail(400).join('\n')).toMatch(/berth-datadisk: full, released the 256 MiB reserve/);
    // The status names the full disk and what to do, measured as the engine became ready.
    const full = await waitFor('the full-disk status', 20_000, () => (engine.status().disk?.level === 'full' ? engine.status().disk : null));
    expect(full.hint).toMatch(/^The data disk is full \(\d+\.\d of \d+\.\d GiB used\): remove unused .*docker system prune.*diskGiB/);
    await docker('volume', 'rm', 'filler');
    // The status's disk figure follows (measured over SSH every 30 s).
    const disk = await waitFor('the disk figure once there is room', 75_000, () => (engine.status().disk?.level === 'ok' ? engine.status().disk : null));
    expect(disk.sizeBytes).toBeGreaterThan(disk.usedBytes);
  });

  it('a frozen VM (QEMU stopped, as in a host sleep) is reported as not responding, fails calls fast, and recovers', async () => {
    const pid = engine.vm.info!.pid;
    process.kill(pid, 'SIGSTOP');
    try {
      const problem = await waitFor('the not-responding status', 40_000, () => {
        const p = engine.status().problem;
        return p?.code === 'unresponsive' ? p : null;
      });
      expect(problem.message).toMatch(/^The VM is not responding: no answer for \d+ s \(its QEMU process is stopped/);
      expect(engine.status().vm.state).toBe('running');
      const t0 = Date.now();
      await expect(engine.docker.ping()).rejects.toThrow(/not answering over SSH \(no answer for \d+ s\)/);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    await waitFor('recovery after SIGCONT', 60_000, () => engine.status().engine.ready && !engine.status().problem);
    expect(String(await engine.docker.ping())).toBe('OK');
  });

  it('stops cleanly through QMP: the guest powers off and nothing is left running', async () => {
    const pid = engine.vm.info!.pid;
    const t0 = Date.now();
    await engine.stop();
    expect(engine.status().vm.state).toBe('stopped');
    expect(isAlive(pid)).toBe(false);
    expect(fs.existsSync(path.join(paths.vm, 'lock'))).toBe(false);
    expect(fs.existsSync(paths.dockerSocket)).toBe(false);
    expect(engine.vm.consoleTail(400).join('\n')).toMatch(/berth-poweroff|QEMU exited/);
    console.log(`clean stop: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });

  it('an engine that becomes ready after the start gave up still gets its host socket', async () => {
    // The start waits 0 ms for dockerd, so it gives up at its first check; dockerd then comes up by itself.
    const late = new Engine({ paths, settings, guest: berthGuest(), probeDeadlineMs: 15_000, engineTimeoutMs: 0 });
    try {
      const outcome = await late.start().then(
        () => 'ready at once',
        (err: Error) => err.message,
      );
      if (outcome !== 'ready at once') {
        expect(outcome).toMatch(/dockerd does not answer/);
        expect(fs.existsSync(paths.dockerSocket)).toBe(false);
      }
      await waitFor('the engine by itself', 90_000, () => late.status().engine.ready);
      await waitFor('the host socket', 10_000, () => late.status().dockerSocket);
      expect(fs.statSync(paths.dockerSocket).mode & 0o777).toBe(0o600);
      expect(await docker('info', '--format', '{{.ServerVersion}}')).toMatch(/^\d+/);
    } finally {
      await late.stop();
    }
  });
});
