import fs from 'node:fs/promises';
import path from 'node:path';
import type { ProgressFn } from '../types';
import { type ImageIdentity, type ReleaseManifest, RELEASE_MANIFEST, checkIdentity, parseReleaseManifest } from './format';
import type { ReleaseSource } from './sources';
import { byteProgress } from './tally';
import { unpackArtifact } from './unpack-artifact';

/**
 * Fills `outDir` (a private temp dir the caller publishes atomically, or deletes on failure) with the unpacked,
 * verified image of a release: every artifact plus the image's manifest.json, as a local build would leave it.
 */
export async function fetchRelease(source: ReleaseSource, want: ImageIdentity, outDir: string, onProgress: ProgressFn):
  Promise<ReleaseManifest> {
  onProgress(source.stage, `reading ${source.where}/${RELEASE_MANIFEST}`);
  const manifest = parseReleaseManifest(await source.readManifest(), source.where);
  checkIdentity(manifest, want, source.where);
  for (const artifact of manifest.artifacts) {
    const progress = byteProgress(onProgress, source.stage, artifact.name, artifact.compressed.bytes);
    const input = await source.open(artifact.compressed.file);
    await unpackArtifact(input, artifact, path.join(outDir, artifact.file), progress.update);
    progress.done(artifact.compressed.bytes);
  }
  await fs.writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest.image, null, 2)}\n`);
  return manifest;
}
