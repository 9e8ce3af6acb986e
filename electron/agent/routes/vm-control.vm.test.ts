/**
 * The VM and its disk run through the same agent calls the UI and CLI use, on one real VM: settings reach
 * settings.json and apply on restart; a bad field is named and nothing is written; stop and restart; prune
 * previews match what the engine removes; freed space goes back to the host; the diagnostics bundle carries the
 * console log and none of the secrets; a factory reset leaves a clean VM.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentClient } from '../client';
import { CredentialStore } from '../../credentials/store';
import { importBusyboxImage } from '../../testing/busybox';
import { ensureTestImage, sshArgs, startBerth, TEST_IMAGE, type BerthUnderTest } from '../../testing/vm-fixture';

const run = promisify(execFile);
const MiB = 2 ** 20;
const log = (l: string) => console.log(l);

let b: BerthUnderTest;
let client: AgentClient;
const figures: string[] = [];

async function boot(stream: 'vm.start' | 'vm.restart'): Promise<string[]> {
  const stages: string[] = [];
  await client.open(stream, {}, { onItem: (p) => void stages.push(p.stage) }).done;
  return stages;
}

const allocated = () => fs.statSync(path.join(b.paths.vm, 'data.qcow2')).blocks * 512;

beforeAll(async () => {
  b = await startBerth({ log });
  client = await b.client();
  await ensureTestImage(b);
});

afterAll(async () => {
  client?.close();
  if (figures.length) {
    fs.mkdirSync('reports', { recursive: true });
    fs.writeFileSync('reports/vm-control-figures.txt', figures.join('\n') + '\n');
    console.log(figures.join('\n'));
  }
  await b?.stop();
});

describe('the VM and its disk through the agent calls', () => {
  it('names each bad field and writes nothing; refuses to shrink the data disk', async () => {
    const before = fs.readFileSync(b.paths.settings, 'utf8');
    const check = await client.call('settings.validate', { patch: { cpus: 999, memoryMiB: 'lots', diskGiB: 16 } });
    expect(check.problems.map((p) => p.field).sort()).toEqual(['cpus', 'diskGiB', 'memoryMiB']);
    expect(check.problems.find((p) => p.field === 'diskGiB')?.message).toMatch(/cannot shrink.*64 GiB/);
    await expect(client.call('settings.update', { patch: { cpus: 999 } })).rejects.toThrow(/cpus is 999 but this host has/);
    await expect(client.call('settings.update', { patch: { diskGiB: 16 } })).rejects.toThrow(/diskGiB cannot shrink/);
    expect(fs.readFileSync(b.paths.settings, 'utf8')).toBe(before);
    expect((await client.call('settings.validate', { patch: { cpus: 1, diskGiB: 64 } })).problems).toEqual([]);
  });

  it('CPU and disk changes reach settings.json and apply on vm.restart (nproc and df in a container)', async () => {
    const nproc = () => b.docker('run', '--rm', TEST_IMAGE, 'busybox', 'nproc');
    // The size of the filesystem under /var/lib/docker, seen through a volume.
    const fsKiB = async () => Number((await b.docker('run', '--rm', '-v', 'probe:/d', TEST_IMAGE, 'busybox', 'df', '-k', '/d')).split('\n')[1].trim().split(/\s+/)[1]);
    expect(await nproc()).toBe('2');
    const before = await fsKiB();
    const r = await client.call('settings.update', { patch: { cpus: 1, diskGiB: 72 } });
    expect(r.restartRequired).toEqual(['cpus', 'diskGiB']);
    expect(JSON.parse(fs.readFileSync(b.paths.settings, 'utf8'))).toMatchObject({ cpus: 1, diskGiB: 72 });
    const stages = await boot('vm.restart');
    expect(stages[0]).toBe('stopping');
    expect(stages.at(-1)).toBe('ready');
    expect(await nproc()).toBe('1');
    // The filesystem grows online a moment after the engine answers.
    const deadline = Date.now() + 30_000;
    let after = await fsKiB();
    while (after - before < 7 * 2 ** 20 && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 1000));
      after = await fsKiB();
    }
    figures.push(`data disk filesystem: ${(before / 2 ** 20).toFixed(1)} GiB -> ${(after / 2 ** 20).toFixed(1)} GiB after diskGiB 64 -> 72 and a restart`);
    expect(after - before).toBeGreaterThan(7 * 2 ** 20);
    await b.docker('volume', 'rm', 'probe');
  });

  it('stops and starts through vm.stop and vm.start', async () => {
    const stopped = await client.call('vm.stop', {});
    expect(stopped.vm.state).toBe('stopped');
    const stages = await boot('vm.start');
    expect(stages).toContain('engine');
    expect((await client.call('vm.status', {})).engine.ready).toBe(true);
  });

  it('prune previews list exactly what the prune removes', async () => {
    await b.docker('create', '--name', 'stopped-one', TEST_IMAGE, 'busybox', 'true');
    await b.docker('run', '--name', 'anon-vol', '-v', '/data', TEST_IMAGE, 'busybox', 'true');
    await b.docker('rm', 'anon-vol'); // leaves its anonymous volume behind
    await b.docker('volume', 'create', 'named-keep');
    // The same tag twice: the first image becomes dangling.
    await importBusyboxImage({ tag: 'berth-test/dangle:1', applets: [], files: { a: '1' }, env: b.env });
    await importBusyboxImage({ tag: 'berth-test/dangle:1', applets: [], files: { a: '2' }, env: b.env });
    for (const category of ['containers', 'volumes', 'images'] as const) {
      const preview = await client.call('disk.prunePreview', { category, all: false });
      expect(preview.items.length, category).toBeGreaterThan(0);
      const pruned = await client.call('disk.prune', { category, all: false });
      expect(pruned.removed.sort(), category).toEqual(preview.items.map((i) => i.id).sort());
    }
    expect(await b.docker('volume', 'ls', '-q')).toContain('named-keep');
    const usage = await client.call('disk.usage', {});
    expect(usage.categories?.map((c) => c.category)).toEqual(['images', 'containers', 'volumes', 'build-cache']);
    expect(usage.dataDisk?.virtualBytes).toBe(72 * 2 ** 30);
  });

  it('gives the space of a removed volume back to the host', async () => {
    await client.call('disk.reclaim', {});
    const start = allocated();
    await b.docker('volume', 'create', 'big');
    await b.docker('run', '--rm', '-v', 'big:/d', TEST_IMAGE, 'sh', '-c', 'busybox dd if=/dev/zero of=/d/f bs=1048576 count=1024 && busybox sync');
    const written = allocated();
    await b.docker('volume', 'rm', 'big');
    // The guest mounts with -o discard: freed blocks are discarded when ext4's journal commits (within ~5 s),
    // before any explicit trim. Wait for that (or not) and record it.
    const removedAt = Date.now();
    while (allocated() > written - 900 * MiB && Date.now() - removedAt < 15_000) await new Promise((res) => setTimeout(res, 500));
    const removed = allocated();
    const removedAfterMs = Date.now() - removedAt;
    const r = await client.call('disk.reclaim', {});
    const reclaimed = allocated();
    const vm = (await client.call('vm.status', {})).vm;
    if (vm.state === 'running') {
      const guest = await run('ssh', [...sshArgs(b, vm.sshPort), 'for f in /sys/block/vd*/queue/discard_max_bytes; do echo "$f $(cat $f)"; done; grep /mnt/data /proc/mounts'], { env: b.env });
      figures.push(`guest discard support and data mount:\n${guest.stdout.trim()}`);
    }
    figures.push(
      `data disk allocated on the host: start ${(start / MiB).toFixed(0)} MiB, after writing 1 GiB ${(written / MiB).toFixed(0)} MiB, ` +
        `after removing the volume ${(removed / MiB).toFixed(0)} MiB (${(removedAfterMs / 1000).toFixed(1)} s later), after reclaim ${(reclaimed / MiB).toFixed(0)} MiB (fstrim: ${(r.trimmedBytes / MiB).toFixed(0)} MiB)`,
    );
    expect(written - start).toBeGreaterThan(900 * MiB);
    expect(written - reclaimed).toBeGreaterThan(900 * MiB);
    expect(r.after?.allocatedBytes).toBe(reclaimed);
  });

  it('the diagnostics bundle has the console log and none of the secrets', async () => {
    const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
    await CredentialStore.open(b.paths.credentials).login('registry.example.test', 'tester', password);
    const token = (JSON.parse(fs.readFileSync(b.paths.agentInfo, 'utf8')) as { token: string }).token;
    // A log line that carries both, as a careless log statement would.
    fs.appendFileSync(path.join(b.paths.logs, 'agent.log'), `test: opened /?token=${token} with ${password}\n`);
    const bundle = await client.call('vm.diagnostics', {});
    expect(bundle.files).toEqual(expect.arrayContaining(['console.log', 'settings.json', 'status.json', 'versions.json', 'host-checks.json', 'docker-info.json', 'dockerd.log']));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-diag-test-'));
    try {
      fs.writeFileSync(path.join(dir, bundle.fileName), Buffer.from(bundle.base64, 'base64'));
      await run('tar', ['-xzf', bundle.fileName], { cwd: dir });
      const { stdout } = await run('sh', ['-c', 'find . -type f ! -name "*.tar.gz" -exec cat {} +'], { cwd: dir, maxBuffer: 64 << 20 });
      const privateKey = fs.readFileSync(path.join(b.paths.vm, 'id_ed25519'), 'utf8');
      const keyBody = privateKey.split('\n').filter((l) => l && !l.startsWith('-----'))[0];
      expect(stdout).toContain('berth-'); // the guest's console stage lines
      expect(stdout).toContain('[REDACTED]');
      expect(stdout).not.toContain(token);
      expect(stdout).not.toContain(password);
      expect(stdout).not.toContain(keyBody);
      expect(stdout).not.toMatch(/PRIVATE KEY-----/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('factory reset refuses a running VM, then removes data, settings and logins; the next start is clean', async () => {
    await b.docker('volume', 'create', 'doomed');
    await expect(client.call('vm.factoryReset', {})).rejects.toThrow(/stop it before a factory reset/);
    await client.call('vm.stop', {});
    const plan = await client.call('vm.factoryResetPlan', {});
    expect(plan.paths.filter((p) => p.exists).map((p) => path.basename(p.path))).toEqual(['data.qcow2', 'settings.json', 'registries.json']);
    const r = await client.call('vm.factoryReset', {});
    expect(r.removed).toHaveLength(3);
    expect(fs.existsSync(path.join(b.paths.vm, 'data.qcow2'))).toBe(false);
    expect((await client.call('registry.list', {})).logins).toEqual([]);
    const defaults = (await client.call('settings.get', {})).settings;
    expect(defaults.shares).toEqual([os.homedir()]);
    // Keep this test machine's own docker config and home out of it.
    await client.call('settings.update', { patch: { dockerContext: false, shares: [], memoryMiB: 2048 } });
    await boot('vm.start');
    expect(await b.docker('volume', 'ls', '-q')).toBe('');
    expect(await b.docker('image', 'ls', '-q')).toBe('');
  });
});
