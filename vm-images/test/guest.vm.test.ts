// Boots the real Berth image under QEMU (TCG) three times on one data disk: a first boot on a blank disk, a
// second boot after a clean power-off, and a short third boot after a hard kill. Assertions share the boots.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureImage } from '../index';
import { BOOT_STAGES } from '../guest-contract';
import type { GuestImage } from '../types';
import { TestVm, createDataDisk } from './launcher';
import { GuestSsh, makeKeyPair, type KeyPair } from './ssh';

const BOOT_TIMEOUT = 120_000;
const MIRROR = 'http://10.0.2.2:5000';

let image: GuestImage;
let work: string;
let dataDisk: string;
let shareDir: string;
let clientKey: KeyPair;
let strangerKey: KeyPair;
let busyboxTar: Buffer;
// Every VM this file starts: a hook that times out moves on without its VM, which must not outlive the run.
const launched: TestVm[] = [];
let ssh: GuestSsh | undefined;
let firstHostKey = '';

async function boot(): Promise<{ vm: TestVm; hostKey: string }> {
  const vm = await TestVm.launchToStage(
    {
      image,
      dataDisk,
      authorizedKey: clientKey.publicKey,
      shares: [{ tag: 'berthtest', path: shareDir }],
      registryMirror: MIRROR,
      consoleLog: path.join(work, 'console.log'),
    },
    'engine-ready',
    BOOT_TIMEOUT,
    (started) => launched.push(started),
  );
  return { vm, hostKey: await vm.hostKey() };
}

/** A one-file image FROM scratch: the static busybox out of the image itself (Docker Hub is unreachable). */
function makeBusyboxTar(rootfsImage: string, dir: string): Buffer {
  const root = path.join(dir, 'bb-root');
  fs.mkdirSync(path.join(root, 'bin'), { recursive: true });
  const cat = spawnSync('unsquashfs', ['-cat', rootfsImage, 'usr/bin/busybox'], { maxBuffer: 64 << 20 });
  if (cat.status !== 0) throw new Error(`unsquashfs failed: ${cat.stderr}`);
  fs.writeFileSync(path.join(root, 'bin', 'busybox'), cat.stdout, { mode: 0o755 });
  for (const applet of ['sh', 'echo', 'cat', 'ls', 'wget', 'httpd']) fs.symlinkSync('busybox', path.join(root, 'bin', applet));
  const tar = spawnSync('tar', ['-C', root, '-c', '.'], { maxBuffer: 64 << 20 });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  return tar.stdout;
}

beforeAll(async () => {
  image = await ensureImage({ onProgress: (s, d) => console.log(`[image] ${s} ${d ?? ''}`) });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-guest-test-'));
  dataDisk = path.join(work, 'data.qcow2');
  createDataDisk(dataDisk);
  shareDir = path.join(work, 'shared folder');
  fs.mkdirSync(shareDir);
  fs.writeFileSync(path.join(shareDir, 'from-host.txt'), 'hello from the host\n');
  clientKey = makeKeyPair(work, 'client');
  strangerKey = makeKeyPair(work, 'stranger');
  busyboxTar = makeBusyboxTar(image.rootfs, work);
});

afterAll(async () => {
  ssh?.end();
  for (const v of launched) v.kill();
  await Promise.all(launched.map((v) => v.exited));
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('first boot on a blank data disk', () => {
  let first: TestVm;
  beforeAll(async () => {
    const b = await boot();
    first = b.vm;
    firstHostKey = b.hostKey;
    ssh = await GuestSsh.connect({ port: first.sshPort, key: clientKey, hostKey: firstHostKey });
  });

  it('reports every boot stage in order, a host key, and formats the blank disk', () => {
    const stages = first.lines.flatMap((l) => (l.event?.kind === 'stage' ? [l.event.stage] : []));
    const seen = BOOT_STAGES.filter((s) => stages.includes(s));
    expect(seen).toEqual([...BOOT_STAGES]);
    // The boot script's stages are sequential; sshd and the engine then start side by side.
    const at = (s: string): number => stages.indexOf(s);
    const sequential = BOOT_STAGES.slice(0, BOOT_STAGES.indexOf('network') + 1).map(at);
    expect(sequential).toEqual([...sequential].sort((a, b) => a - b));
    expect(at('sshd')).toBeGreaterThan(at('network'));
    expect(at('engine')).toBeGreaterThan(at('network'));
    expect(at('engine-ready')).toBeGreaterThan(at('engine'));
    expect(firstHostKey).toMatch(/^ssh-ed25519 AAAA/);
    expect(first.lines.some((l) => l.text.includes('berth-datadisk: formatted'))).toBe(true);
    expect(first.errors()).toEqual([]);
  });

  it('lets the authorized key in and pins the host key from the console', async () => {
    expect((await ssh!.run('id -u')).trim()).toBe('0');
  });

  it('refuses a client key the host did not authorize', async () => {
    await expect(GuestSsh.connect({ port: first.sshPort, key: strangerKey, hostKey: firstHostKey }))
      .rejects.toThrow(/authentication/i);
  });

  it('is rejected by a client that expects another host key', async () => {
    const other = fs.readFileSync(path.join(work, 'stranger.pub'), 'utf8');
    await expect(GuestSsh.connect({ port: first.sshPort, key: clientKey, hostKey: other })).rejects.toThrow();
  });

  it('answers docker info over SSH with the configured registries', async () => {
    const info = JSON.parse(await ssh!.run("docker info --format '{{json .}}'")) as {
      ServerVersion: string; Driver: string; RegistryConfig: { Mirrors: string[]; IndexConfigs: Record<string, unknown> };
    };
    expect(info.ServerVersion).toMatch(/^26\./);
    expect(info.Driver).toBe('overlay2');
    expect(info.RegistryConfig.Mirrors).toContain(`${MIRROR}/`);
    expect(JSON.stringify(info.RegistryConfig)).toContain('10.0.2.2:5000');
    expect(await ssh!.run('findmnt -no SOURCE /var/lib/docker')).toMatch(/vdb|berth-data|\/dev\//);
  });

  it('imports an image, runs a container and writes a volume', async () => {
    await ssh!.run('docker import - berth-test/busybox:1', busyboxTar);
    expect((await ssh!.run('docker run --rm berth-test/busybox:1 /bin/echo hi from a container')).trim())
      .toBe('hi from a container');
    await ssh!.run("docker run --rm -v berth-vol:/data berth-test/busybox:1 /bin/sh -c 'echo kept > /data/f'");
  });

  // dockerd runs without its own iptables rules; Berth's firewall.rules must give the same behaviour.
  it('networks containers as Docker does: names resolve in a network, networks stay apart, the host is reachable', async () => {
    const server = http.createServer((_req, res) => res.end('hello from the host'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const hostPort = (server.address() as { port: number }).port;
    const web = (name: string, net: string): string =>
      `docker run -d --name ${name} --network ${net} berth-test/busybox:1 /bin/sh -c 'echo ${name} > /index.html; exec httpd -f -p 80 -h /'`;
    const fetch = (net: string, url: string): ReturnType<GuestSsh['exec']> =>
      ssh!.exec(`docker run --rm --network ${net} berth-test/busybox:1 wget -T 3 -q -O- ${url}`);
    try {
      await ssh!.run(`docker network create berth-n1 && docker network create berth-n2 && ${web('berth-web1', 'berth-n1')} && ${web('berth-web2', 'berth-n2')}`);
      const otherIp = (await ssh!.run("docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' berth-web2")).trim();
      expect(otherIp).toMatch(/^\d+\.\d+\.\d+\.\d+$/);

      const sameNetwork = await fetch('berth-n1', 'http://berth-web1/');
      expect(sameNetwork.stdout.trim(), sameNetwork.stderr).toBe('berth-web1');
      const otherNetwork = await fetch('berth-n1', `http://${otherIp}/`);
      expect(otherNetwork.code).not.toBe(0);
      expect(otherNetwork.stdout).not.toContain('berth-web2');
      const toHost = await fetch('berth-n1', `http://10.0.2.2:${hostPort}/`);
      expect(toHost.stdout, toHost.stderr).toBe('hello from the host');
      const fromDefaultBridge = await fetch('bridge', `http://10.0.2.2:${hostPort}/`);
      expect(fromDefaultBridge.stdout, fromDefaultBridge.stderr).toBe('hello from the host');
    } finally {
      server.close();
      await ssh!.exec('docker rm -f berth-web1 berth-web2; docker network rm berth-n1 berth-n2');
    }
  });

  it('mounts the 9p share at the host path, both ways', async () => {
    const quoted = `'${shareDir}'`;
    expect(await ssh!.run(`cat ${quoted}/from-host.txt`)).toBe('hello from the host\n');
    await ssh!.run(`echo from the guest > ${quoted}/from-guest.txt`);
    expect(fs.readFileSync(path.join(shareDir, 'from-guest.txt'), 'utf8')).toBe('from the guest\n');
  });

  it('restarts dockerd when it dies', async () => {
    const readyBefore = first.lines.filter((l) => l.event?.kind === 'stage' && l.event.stage === 'engine-ready').length;
    await ssh!.run('kill -9 $(cat /var/run/docker.pid)');
    await first.waitFor(
      () => first.lines.filter((l) => l.event?.kind === 'stage' && l.event.stage === 'engine-ready').length > readyBefore,
      90_000, 'engine-ready after dockerd was killed');
    expect((await ssh!.run("docker info --format '{{.ServerVersion}}'")).trim()).toMatch(/^26\./);
  });

  it('powers off cleanly on the ACPI power button', async () => {
    ssh!.end();
    ssh = undefined;
    expect(await first.powerdown(90_000)).toBe(0);
    expect(first.lines.some((l) => l.event?.kind === 'poweroff')).toBe(true);
    expect(first.lines.some((l) => l.text.includes('berth-poweroff: data disk unmounted'))).toBe(true);
  });
});

describe('second boot on the same data disk', () => {
  let second: TestVm;
  let hostKey: string;
  beforeAll(async () => {
    const b = await boot();
    second = b.vm;
    hostKey = b.hostKey;
    ssh = await GuestSsh.connect({ port: second.sshPort, key: clientKey, hostKey: firstHostKey });
  });

  it('finds the data disk clean and keeps the host key', () => {
    expect(second.lines.some((l) => l.text.includes('berth-datadisk: clean'))).toBe(true);
    expect(second.lines.some((l) => l.text.includes('berth-datadisk: formatted'))).toBe(false);
    expect(hostKey).toBe(firstHostKey);
  });

  it('still has the image and the volume data', async () => {
    expect((await ssh!.run("docker image inspect --format '{{.Id}}' berth-test/busybox:1")).trim()).toMatch(/^sha256:/);
    expect(await ssh!.run('docker run --rm -v berth-vol:/data berth-test/busybox:1 /bin/cat /data/f')).toBe('kept\n');
  });

  it('reports an unclean disk after a hard kill (the check can fail)', async () => {
    await ssh!.run('echo dirty > /mnt/data/state/dirty && sync');
    ssh!.end();
    ssh = undefined;
    second.kill();
    await second.exited;
    const third = await TestVm.launch({
      image, dataDisk, authorizedKey: clientKey.publicKey, consoleLog: path.join(work, 'console.log'),
    });
    launched.push(third);
    const line = await third.waitFor((l) => l.text.includes('berth-datadisk: '), BOOT_TIMEOUT, 'data disk state');
    expect(line.text).toMatch(/berth-datadisk: unclean/);
    third.kill();
    await third.exited;
  });
});
