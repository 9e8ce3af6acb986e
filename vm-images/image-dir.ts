import fs from 'node:fs/promises';
import path from 'node:path';
import { ARTIFACTS } from './builder/build-image';
import type { GuestArch, GuestImage, ImageVariant } from './types';

/** The paths of an unpacked image in `dir`, wherever it lives (the cache, or a folder bundled with the app). */
export function describeImage(dir: string, id: { hash: string; arch: GuestArch; variant: ImageVariant }): GuestImage {
  return {
    dir,
    hash: id.hash,
    arch: id.arch,
    variant: id.variant,
    kernel: path.join(dir, ARTIFACTS.kernel),
    initrd: path.join(dir, ARTIFACTS.initrd),
    rootfs: path.join(dir, ARTIFACTS.rootfs),
    manifestPath: path.join(dir, 'manifest.json'),
  };
}

export async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}
