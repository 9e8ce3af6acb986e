// A release written by packageRelease, served over local HTTP, downloaded into a fresh cache by ensureImage:
// the happy path, and every way the bytes can go wrong on the way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ensureImage, packageRelease, type EnsureImageOptions } from './index';
import { ImageReleaseError } from './release/errors';
import type { ReleaseManifest } from './release/format';
import { type ReleaseServer, cacheEntries, flipByte, makeFakeImage, serveRelease } from './test/release-fixtures';
import { freePort } from './test/launcher';
import type { GuestImage } from './types';

const HASH = 'aaaaaaaaaaaaaaaa';
let root: string;
let original: GuestImage;
let releaseDir: string;
let release: ReleaseManifest;
let cacheDir: string;
let server: ReleaseServer;
let progress: string[];

beforeEach(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-release-'));
  original = makeFakeImage(path.join(root, 'built', HASH), HASH);
  releaseDir = path.join(root, 'release');
  release = await packageRelease({ image: original, outDir: releaseDir, berthVersion: '9.9.9' });
  server = await serveRelease(releaseDir);
  cacheDir = path.join(root, 'cache');
  progress = [];
});

afterEach(async () => {
  await server.close();
  fs.rmSync(root, { recursive: true, force: true });
});

/** ensureImage as the agent calls it, with this test's cache, recipe hash, and no local build. */
function obtain(extra: EnsureImageOptions = {}): Promise<GuestImage> {
  return ensureImage({
    cacheDir, expectedHash: HASH, canBuildLocally: false, env: {}, bundledDir: path.join(root, 'no-bundle'),
    imageUrl: server.url, onProgress: (stage, detail) => progress.push(`${stage}: ${detail ?? ''}`), ...extra,
  });
}

async function refusal(extra: EnsureImageOptions = {}): Promise<ImageReleaseError> {
  const err = await obtain(extra).then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ImageReleaseError);
  return err as ImageReleaseError;
}

function artifact(name: string): ReleaseManifest['artifacts'][number] {
  return release.artifacts.find((a) => a.name === name)!;
}

function expectSameFiles(image: GuestImage): void {
  for (const key of ['kernel', 'initrd', 'rootfs', 'manifestPath'] as const) {
    expect(fs.readFileSync(image[key]).equals(fs.readFileSync(original[key])), key).toBe(true);
  }
}

it('downloads a release into a fresh cache: the files equal the originals, and the cache serves it next time', async () => {
  const image = await obtain();
  expect(image.dir).toBe(path.join(cacheDir, HASH));
  expectSameFiles(image);
  expect(cacheEntries(cacheDir)).toEqual([HASH]);
  expect(server.requests).toEqual(['manifest.json', 'kernel.br', 'initrd.cpio.br', 'root.squashfs.br']);

  await obtain();
  expect(server.requests).toHaveLength(4);
});

it('reports the download per artifact in MB and percent, ending at 100%', async () => {
  await obtain();
  const downloads = progress.filter((p) => p.startsWith('download: ') && p.includes(' MB ('));
  for (const line of downloads) expect(line).toMatch(/^download: (kernel|initrd|rootfs) \d+\.\d of \d+\.\d MB \(\d{1,3}%\)$/);
  const rootfsMb = (artifact('rootfs').compressed.bytes / 1e6).toFixed(1);
  expect(downloads).toContain(`download: rootfs ${rootfsMb} of ${rootfsMb} MB (100%)`);
  expect(progress.at(-1)).toBe(`done: ${path.join(cacheDir, HASH)}`);
});

it('installs a gzip release as well', async () => {
  fs.rmSync(releaseDir, { recursive: true });
  await packageRelease({ image: original, outDir: releaseDir, berthVersion: '9.9.9', compression: 'gzip' });
  expectSameFiles(await obtain());
  expect(server.requests).toContain('root.squashfs.gz');
});

it('refuses a release with one flipped byte, naming the artifact and both sha256s, and leaves nothing in the cache', async () => {
  flipByte(path.join(releaseDir, 'root.squashfs.br'));
  const err = await refusal();
  expect(err.kind).toBe('corrupt');
  expect(err.message).toContain('rootfs: root.squashfs.br is corrupt');
  expect(err.message).toContain(`expected sha256 ${artifact('rootfs').compressed.sha256}, got `);
  expect(cacheEntries(cacheDir)).toEqual([]);
});

it('refuses a release whose file was cut short, with expected and actual sizes', async () => {
  const file = path.join(releaseDir, 'kernel.br');
  const expected = fs.statSync(file).size;
  fs.truncateSync(file, 1000);
  const err = await refusal();
  expect(err.kind).toBe('corrupt');
  expect(err.message).toBe(`kernel: kernel.br was cut short: expected ${expected} bytes, got 1000`);
  expect(cacheEntries(cacheDir)).toEqual([]);
});

it('refuses a download the server closes mid-body, and leaves nothing in the cache', async () => {
  server.cutShort('root.squashfs.br', 50_000);
  const err = await refusal();
  expect(err.kind).toBe('download');
  expect(err.message).toMatch(/^rootfs: reading root\.squashfs\.br failed after 0\.\d of \d\.\d MB: /);
  expect(cacheEntries(cacheDir)).toEqual([]);
});

it('refuses a release for another recipe, naming both hashes', async () => {
  const err = await refusal({ expectedHash: 'bbbbbbbbbbbbbbbb' });
  expect(err.kind).toBe('mismatch');
  expect(err.message).toBe(`The image at ${server.url} is recipe ${HASH} (amd64/berth), ` +
    'but this Berth needs recipe bbbbbbbbbbbbbbbb (amd64/berth)');
  expect(cacheEntries(cacheDir)).toEqual([]);
});

it('with no local build possible, throws the download error with a hint on where to get an image', async () => {
  const err = await refusal({ imageUrl: `${server.url}/nowhere` });
  expect(err.kind).toBe('download');
  expect(err.message).toBe(`GET ${server.url}/nowhere/manifest.json answered HTTP 404 Not Found`);
  expect(err.hint).toMatch(/BERTH_IMAGE_URL or the imageUrl setting/);
  expect(err.hint).toMatch(/npm run vm:build/);
  expect(progress).toContain(`download: failed: ${err.message}; no other source is left`);
});

it('says why nothing could be tried when no URL is set and no build is possible', async () => {
  const err = await refusal({ imageUrl: undefined });
  expect(err.kind).toBe('unavailable');
  expect(err.message).toContain(`No guest image for recipe ${HASH} (amd64/berth)`);
  expect(err.hint).toMatch(/BERTH_IMAGE_URL/);
});

it('falls back to a local build where one is possible, and says so', async () => {
  const image = await obtain({
    imageUrl: `${server.url}/nowhere`,
    canBuildLocally: true,
    // Stands in for the hour-long recipe build: leaves what the real builder leaves.
    buildLocally: async ({ outDir }) => fs.cpSync(original.dir, outDir, { recursive: true }),
  });
  expect(progress).toContain(
    `download: failed: GET ${server.url}/nowhere/manifest.json answered HTTP 404 Not Found; building locally instead`);
  expectSameFiles(image);
  expect(cacheEntries(cacheDir)).toEqual([HASH]);
});

it('reports a refused connection with its reason', async () => {
  const closedPort = await freePort();
  const err = await refusal({ imageUrl: `http://127.0.0.1:${closedPort}/release` });
  expect(err.kind).toBe('download');
  expect(err.message).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/release\/manifest\.json failed: fetch failed: .*ECONNREFUSED/);
});

it('lets BERTH_IMAGE_URL override the imageUrl setting', async () => {
  expectSameFiles(await obtain({ env: { BERTH_IMAGE_URL: server.url }, imageUrl: 'http://127.0.0.1:1/release' }));
});

it('refuses a manifest whose file names would leave the release folder', async () => {
  const manifestPath = path.join(releaseDir, 'manifest.json');
  const tampered = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as ReleaseManifest;
  tampered.artifacts[0].compressed.file = '../../etc/passwd';
  fs.writeFileSync(manifestPath, JSON.stringify(tampered));
  const err = await refusal();
  expect(err.kind).toBe('bad-release');
  expect(err.message).toContain('unsafe file name "../../etc/passwd"');
  expect(server.requests).toEqual(['manifest.json']);
});
