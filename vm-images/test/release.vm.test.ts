// The release path end to end with the real image: package it, serve it over local HTTP, download it into a
// fresh cache on a PATH without the build tools (as on a Mac), and boot what arrived to engine-ready.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureImage, packageRelease } from '../index';
import { localBuildBlocker } from '../local-build';
import type { ReleaseManifest } from '../release/format';
import type { GuestImage } from '../types';
import { TestVm, createDataDisk } from './launcher';
import { type ReleaseServer, serveRelease } from './release-fixtures';
import { GuestSsh, makeKeyPair } from './ssh';

const BOOT_TIMEOUT = 120_000;
const seconds = (since: number): string => ((Date.now() - since) / 1000).toFixed(1);

let work: string;
let built: GuestImage;
let release: ReleaseManifest;
let server: ReleaseServer | undefined;
let downloaded: GuestImage;
const downloadProgress: string[] = [];
// Every VM this file starts, so afterAll kills it even when a test or hook failed half-way.
const launched: TestVm[] = [];
let ssh: GuestSsh | undefined;

beforeAll(async () => {
  // The machine's cache, as guest.vm.test.ts uses it; built here (about a minute and a half) if it is missing.
  built = await ensureImage({ onProgress: (s, d) => console.log(`[image] ${s} ${d ?? ''}`) });
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-release-vm-'));

  let started = Date.now();
  release = await packageRelease({ image: built, outDir: path.join(work, 'release'), berthVersion: 'test' });
  const packed = release.artifacts.reduce((n, a) => n + a.compressed.bytes, 0);
  const plain = release.artifacts.reduce((n, a) => n + a.bytes, 0);
  console.log(`[release] packaged in ${seconds(started)} s: ${(packed / 1e6).toFixed(1)} MB from ${(plain / 1e6).toFixed(1)} MB`);

  server = await serveRelease(path.join(work, 'release'));
  const noTools = path.join(work, 'empty-bin');
  fs.mkdirSync(noTools);
  started = Date.now();
  downloaded = await ensureImage({
    cacheDir: path.join(work, 'fresh-cache'),
    imageUrl: server.url,
    bundledDir: path.join(work, 'no-bundle'),
    env: { PATH: noTools },
    onProgress: (stage, detail) => {
      downloadProgress.push(`${stage}: ${detail ?? ''}`);
      // The log gets each file's start and end; the status bar would get every report.
      if (!detail?.endsWith('%)') || detail.endsWith('(100%)')) console.log(`[download] ${stage} ${detail ?? ''}`);
    },
  });
  console.log(`[release] downloaded, unpacked and verified from localhost in ${seconds(started)} s`);
});

afterAll(async () => {
  ssh?.end();
  for (const vm of launched) vm.kill();
  await Promise.all(launched.map((vm) => vm.exited));
  await server?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

it('got the image through the download, on a machine that could not have built it', () => {
  expect(localBuildBlocker({ PATH: path.join(work, 'empty-bin') })).toMatch(/mmdebstrap/);
  expect(downloaded.dir).toBe(path.join(work, 'fresh-cache', built.hash));
  expect(fs.readFileSync(downloaded.manifestPath, 'utf8')).toBe(fs.readFileSync(built.manifestPath, 'utf8'));
  for (const key of ['kernel', 'initrd', 'rootfs'] as const) {
    expect(fs.statSync(downloaded[key]).size).toBe(fs.statSync(built[key]).size);
  }
  expect(downloadProgress.some((p) => /^download: rootfs \d+\.\d of \d+\.\d MB \(\d{1,2}%\)$/.test(p))).toBe(true);
  expect(fs.readdirSync(path.join(work, 'fresh-cache'))).toEqual([built.hash]);
});

it('boots the downloaded image to a running engine reachable over SSH', async () => {
  const dataDisk = path.join(work, 'data.qcow2');
  createDataDisk(dataDisk);
  const key = makeKeyPair(work, 'client');
  const vm = await TestVm.launchToStage(
    { image: downloaded, dataDisk, authorizedKey: key.publicKey, consoleLog: path.join(work, 'console.log') },
    'sshd',
    BOOT_TIMEOUT,
  );
  launched.push(vm);
  const ready = await vm.waitForStage('engine-ready', BOOT_TIMEOUT);
  console.log(`[release] engine-ready ${(ready.at / 1000).toFixed(1)} s after QEMU started`);
  ssh = await GuestSsh.connect({ port: vm.sshPort, key, hostKey: await vm.hostKey() });
  expect((await ssh.run("docker info --format '{{.ServerVersion}}'")).trim()).toMatch(/^26\./);
  expect(vm.errors()).toEqual([]);
  ssh.end();
  ssh = undefined;
  vm.kill();
  await vm.exited;
});
