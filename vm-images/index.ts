import fs from 'node:fs/promises';
import path from 'node:path';
import { imageCacheDir } from './cache-dir';
import { ARTIFACTS, buildImage } from './builder/build-image';
import { withLock } from './builder/lock';
import { pruneSupersededImages } from './cache-prune';
import { recipeHash } from './recipe';
import type { GuestArch, GuestImage, ImageVariant, ProgressFn } from './types';

export type { GuestArch, GuestImage, ImageVariant } from './types';

export function imageHash(opts: { arch?: GuestArch; variant?: ImageVariant } = {}): string {
  return recipeHash(opts.arch ?? 'amd64', opts.variant ?? 'berth');
}

function describe(dir: string, hash: string, arch: GuestArch, variant: ImageVariant): GuestImage {
  return {
    dir,
    hash,
    arch,
    variant,
    kernel: path.join(dir, ARTIFACTS.kernel),
    initrd: path.join(dir, ARTIFACTS.initrd),
    rootfs: path.join(dir, ARTIFACTS.rootfs),
    manifestPath: path.join(dir, 'manifest.json'),
  };
}

async function exists(p: string): Promise<boolean> {
  return fs.access(p).then(() => true, () => false);
}

/**
 * The image for this recipe, built on first use. A published image directory is complete by construction:
 * it is assembled in a temp dir and renamed into place, so a crashed build leaves only a temp dir behind.
 */
export async function ensureImage(opts: { arch?: GuestArch; variant?: ImageVariant; onProgress?: ProgressFn } = {}):
  Promise<GuestImage> {
  const arch = opts.arch ?? 'amd64';
  const variant = opts.variant ?? 'berth';
  const onProgress: ProgressFn = opts.onProgress ?? (() => {});
  const hash = imageHash({ arch, variant });
  const cache = imageCacheDir();
  const image = describe(path.join(cache, hash), hash, arch, variant);
  if (await exists(image.manifestPath)) return image;

  await fs.mkdir(cache, { recursive: true });
  return withLock(path.join(cache, `${hash}.lock`), () => onProgress('waiting', 'another build of this image is running'),
    async () => {
      if (await exists(image.manifestPath)) return image;
      // Holding the lock, any temp dir of this hash belongs to a build that died.
      for (const name of await fs.readdir(cache)) {
        if (name.startsWith(`.build-${hash}-`)) await fs.rm(path.join(cache, name), { recursive: true, force: true });
      }
      const tmp = await fs.mkdtemp(path.join(cache, `.build-${hash}-`));
      try {
        await buildImage({ arch, variant, hash, outDir: tmp, onProgress });
        await fs.chmod(tmp, 0o755);
        await fs.rm(image.dir, { recursive: true, force: true });
        await fs.rename(tmp, image.dir);
      } catch (err) {
        await fs.rm(tmp, { recursive: true, force: true });
        throw err;
      }
      onProgress('done', image.dir);
      const pruned = await pruneSupersededImages(cache, image);
      if (pruned.length) onProgress('pruned', `superseded images ${pruned.join(', ')}`);
      return image;
    });
}
