import fs from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS, type Manifest } from '../builder/build-image';
import { describeImage, exists } from '../image-dir';
import { VM_IMAGES_DIR } from '../recipe';
import type { GuestImage } from '../types';
import { ImageReleaseError, errorMessage } from './errors';
import { type ImageIdentity, RELEASE_MANIFEST, checkIdentity, isReleaseManifest, parseReleaseManifest } from './format';
import { type ReleaseSource, dirReleaseSource } from './sources';

export type BundledImage = { kind: 'image'; image: GuestImage } | { kind: 'release'; source: ReleaseSource };

/**
 * Where packaging puts the image shipped with the app: `<resources>/vm-image` in a packaged Electron app, and
 * `resources/vm-image` of the checkout otherwise (what `npm run vm:package -- --out resources/vm-image` fills).
 */
export function defaultBundledDir(): string {
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  return resources ? path.join(resources, 'vm-image') : path.join(VM_IMAGES_DIR, '..', 'resources', 'vm-image');
}

/**
 * What a bundled folder holds: an unpacked image (used in place, it is read-only and shipped with the app) or a
 * release (unpacked into the cache once). Null when the folder holds neither and was not asked for by name.
 */
export async function inspectBundledDir(dir: string, want: ImageIdentity, named: boolean): Promise<BundledImage | null> {
  const manifestPath = path.join(dir, RELEASE_MANIFEST);
  let text: string;
  try {
    text = await fs.readFile(manifestPath, 'utf8');
  } catch {
    if (!named) return null;
    throw new ImageReleaseError('unavailable', `BERTH_IMAGE_DIR=${dir} holds no ${RELEASE_MANIFEST}`,
      'Point BERTH_IMAGE_DIR at a folder written by `npm run vm:package`, or at an image folder of the cache.');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ImageReleaseError('bad-release', `${manifestPath} is not valid JSON: ${errorMessage(err)}`);
  }
  if (isReleaseManifest(value)) {
    checkIdentity(parseReleaseManifest(value, dir), want, dir);
    return { kind: 'release', source: dirReleaseSource(dir) };
  }
  const manifest = value as Partial<Manifest>;
  checkIdentity({ hash: String(manifest.hash), arch: manifest.arch!, variant: manifest.variant! }, want, dir);
  const image = describeImage(dir, want);
  // Sizes only: hashing ~300 MB on every start would cost seconds, and these files ship inside the app.
  for (const [name, file] of Object.entries(ARTIFACTS)) {
    const expected = manifest.artifacts?.[name]?.bytes;
    const actual = (await exists(path.join(dir, file))) ? (await fs.stat(path.join(dir, file))).size : undefined;
    if (actual === undefined || actual !== expected) {
      throw new ImageReleaseError('corrupt', `${path.join(dir, file)} has ${actual ?? 'no'} bytes, expected ${expected}`,
        'Reinstall Berth, or unset BERTH_IMAGE_DIR.');
    }
  }
  return { kind: 'image', image };
}
