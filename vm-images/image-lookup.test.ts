// Where ensureImage looks, in order: a bundled folder (release or unpacked image), the cache, the image URL,
// a local build. Also the pieces that decide it: the local-build check and the progress throttle.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ensureImage, packageRelease, type EnsureImageOptions } from './index';
import { localBuildBlocker } from './local-build';
import { ImageReleaseError } from './release/errors';
import { byteProgress } from './release/tally';
import { type ReleaseServer, cacheEntries, flipByte, makeFakeImage, serveRelease } from './test/release-fixtures';
import type { GuestImage } from './types';

const HASH = 'cccccccccccccccc';
let root: string;
let original: GuestImage;
let releaseDir: string;
let cacheDir: string;
let server: ReleaseServer;
let progress: string[];

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-lookup-'));
  original = makeFakeImage(path.join(root, 'built', HASH), HASH);
  releaseDir = path.join(root, 'release');
  await packageRelease({ image: original, outDir: releaseDir, berthVersion: '9.9.9' });
  server = await serveRelease(releaseDir);
  cacheDir = path.join(root, 'cache');
  progress = [];
});

afterEach(async () => {
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });
});

function obtain(extra: EnsureImageOptions = {}): Promise<GuestImage> {
  return ensureImage({
    cacheDir, expectedHash: HASH, canBuildLocally: false, env: {}, bundledDir: path.join(root, 'no-bundle'),
    onProgress: (stage, detail) => progress.push(`${stage}: ${detail ?? ''}`), ...extra,
  });
}

it('unpacks a release bundled in BERTH_IMAGE_DIR into the cache, without the network', async () => {
  const image = await obtain({ env: { BERTH_IMAGE_DIR: releaseDir }, imageUrl: server.url });
  expect(image.dir).toBe(path.join(cacheDir, HASH));
  expect(fs.readFileSync(image.rootfs).equals(fs.readFileSync(original.rootfs))).toBe(true);
  expect(progress.some((p) => /^unpack: rootfs .* \(100%\)$/.test(p))).toBe(true);
  expect(server.requests).toEqual([]);
});

it('uses an unpacked image in the bundled folder in place, leaving the cache alone', async () => {
  const image = await obtain({ bundledDir: original.dir, imageUrl: server.url });
  expect(image).toEqual(original);
  expect(cacheEntries(cacheDir)).toEqual([]);
  expect(server.requests).toEqual([]);
});

it('passes over a bundled image for another recipe, says so, and downloads instead', async () => {
  const stale = makeFakeImage(path.join(root, 'stale'), 'dddddddddddddddd');
  const image = await obtain({ bundledDir: stale.dir, imageUrl: server.url });
  expect(image.dir).toBe(path.join(cacheDir, HASH));
  expect(progress[0]).toBe(`bundled: refused: The image at ${stale.dir} is recipe dddddddddddddddd (amd64/berth), ` +
    `but this Berth needs recipe ${HASH} (amd64/berth)`);
});

it('refuses a bundled unpacked image whose file has the wrong size', async () => {
  fs.truncateSync(original.kernel, 10);
  const err = await obtain({ bundledDir: original.dir }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ImageReleaseError);
  expect((err as ImageReleaseError).message).toBe(`${original.kernel} has 10 bytes, expected 300000`);
});

it('names BERTH_IMAGE_DIR when it points at an empty folder and nothing else can help', async () => {
  const empty = path.join(root, 'empty');
  fs.mkdirSync(empty);
  const err = await obtain({ env: { BERTH_IMAGE_DIR: empty } }).catch((e: unknown) => e);
  expect((err as ImageReleaseError).message).toBe(`BERTH_IMAGE_DIR=${empty} holds no manifest.json`);
  expect((err as ImageReleaseError).hint).toMatch(/npm run vm:build/);
});

it('prefers the cache to the image URL', async () => {
  fs.cpSync(original.dir, path.join(cacheDir, HASH), { recursive: true });
  expect((await obtain({ imageUrl: server.url })).dir).toBe(path.join(cacheDir, HASH));
  expect(server.requests).toEqual([]);
});

it('clears the temp dir of an attempt that died before downloading again', async () => {
  fs.mkdirSync(path.join(cacheDir, `.build-${HASH}-dead01`), { recursive: true });
  await obtain({ imageUrl: server.url });
  expect(cacheEntries(cacheDir)).toEqual([HASH]);
});

it('will not package an image whose files no longer match its manifest', async () => {
  flipByte(original.rootfs);
  const err = await packageRelease({ image: original, outDir: path.join(root, 'out'), berthVersion: '9.9.9' })
    .catch((e: unknown) => e);
  expect((err as ImageReleaseError).kind).toBe('corrupt');
  expect((err as ImageReleaseError).hint).toContain(`Delete ${original.dir}`);
  expect(fs.readdirSync(path.join(root, 'out'))).toEqual(['initrd.cpio.br', 'kernel.br']);
});

it('knows when this machine cannot build the image', () => {
  expect(localBuildBlocker({ PATH: path.join(root, 'empty-bin') }, 'linux'))
    .toMatch(/^building the image needs (root|mmdebstrap and mksquashfs on PATH)$/);
  expect(localBuildBlocker({ PATH: '/usr/bin' }, 'darwin')).toBe('building the image needs Linux, this is darwin');
});

it('throttles byte progress to a few reports a second and always reports the end', () => {
  const seen: string[] = [];
  const p = byteProgress((_stage, detail) => seen.push(detail!), 'download', 'rootfs', 200e6);
  for (let b = 0; b <= 200e6; b += 65536) p.update(b);
  p.done(200e6);
  expect(seen.length).toBeLessThanOrEqual(3);
  expect(seen[0]).toBe('rootfs 0.0 of 200.0 MB (0%)');
  expect(seen.at(-1)).toBe('rootfs 200.0 of 200.0 MB (100%)');
});
