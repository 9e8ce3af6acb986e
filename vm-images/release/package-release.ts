import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { ARTIFACTS, type Manifest } from '../builder/build-image';
import type { GuestImage, ProgressFn } from '../types';
import { COMPRESSED_SUFFIX, type Compression, DEFAULT_COMPRESSION, createEncoder } from './codec';
import { ImageReleaseError } from './errors';
import { ARTIFACT_NAMES, RELEASE_FORMAT, RELEASE_KIND, RELEASE_MANIFEST, type ReleaseArtifact, type ReleaseManifest }
  from './format';
import { Tally, byteProgress, tallyStage } from './tally';

export interface PackageOptions {
  image: GuestImage;
  outDir: string;
  berthVersion: string;
  compression?: Compression;
  onProgress?: ProgressFn;
}

/**
 * Writes a release of a built image into `outDir`: each artifact compressed, then manifest.json. The manifest is
 * written last and by rename, so a folder whose packaging was interrupted has no manifest and is never taken
 * for a release. The image's own files are re-hashed on the way: a damaged cache must not be published.
 */
export async function packageRelease(opts: PackageOptions): Promise<ReleaseManifest> {
  const { image, outDir, berthVersion } = opts;
  const compression = opts.compression ?? DEFAULT_COMPRESSION;
  const onProgress = opts.onProgress ?? (() => {});
  const imageManifest = JSON.parse(await fs.readFile(image.manifestPath, 'utf8')) as Manifest;
  if (imageManifest.hash !== image.hash) {
    throw new ImageReleaseError('bad-release', `${image.manifestPath} is for recipe ${imageManifest.hash}, not ${image.hash}`);
  }
  await fs.mkdir(outDir, { recursive: true });
  await fs.rm(path.join(outDir, RELEASE_MANIFEST), { force: true });

  const artifacts: ReleaseArtifact[] = [];
  for (const name of ARTIFACT_NAMES) {
    const file = ARTIFACTS[name];
    const source = path.join(image.dir, file);
    const bytes = (await fs.stat(source)).size;
    const packedFile = `${file}${COMPRESSED_SUFFIX[compression]}`;
    const partial = path.join(outDir, `.${packedFile}.partial`);
    const plain = new Tally();
    const packed = new Tally();
    const progress = byteProgress(onProgress, 'package', name, bytes);
    try {
      await pipeline(createReadStream(source), tallyStage(plain, progress.update), createEncoder(compression, bytes),
        tallyStage(packed), createWriteStream(partial));
    } catch (err) {
      await fs.rm(partial, { force: true });
      throw err;
    }
    progress.done(plain.bytes);
    const plainSha = plain.sha256();
    const expected = imageManifest.artifacts[name];
    if (expected?.sha256 !== plainSha || expected.bytes !== plain.bytes) {
      await fs.rm(partial, { force: true });
      throw new ImageReleaseError('corrupt',
        `${source} does not match its manifest (sha256 ${plainSha}, expected ${expected?.sha256})`,
        `Delete ${image.dir} and run \`npm run vm:build\` to build it again.`);
    }
    await fs.rename(partial, path.join(outDir, packedFile));
    artifacts.push({
      name, file, bytes: plain.bytes, sha256: plainSha, compression,
      compressed: { file: packedFile, bytes: packed.bytes, sha256: packed.sha256() },
    });
    onProgress('package', `${name}: ${packedFile} ${ratio(packed.bytes, plain.bytes)}`);
  }

  const manifest: ReleaseManifest = {
    kind: RELEASE_KIND,
    format: RELEASE_FORMAT,
    berthVersion,
    hash: image.hash,
    arch: image.arch,
    variant: image.variant,
    createdAt: new Date().toISOString(),
    artifacts,
    image: imageManifest,
  };
  const partialManifest = path.join(outDir, `.${RELEASE_MANIFEST}.partial`);
  await fs.writeFile(partialManifest, `${JSON.stringify(manifest, null, 2)}\n`);
  await fs.rename(partialManifest, path.join(outDir, RELEASE_MANIFEST));
  return manifest;
}

function ratio(packed: number, plain: number): string {
  return `${(packed / 1e6).toFixed(1)} MB, ${plain ? Math.round((packed / plain) * 100) : 100}% of ${(plain / 1e6).toFixed(1)} MB`;
}
