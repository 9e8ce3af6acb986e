import { imageCacheDir } from './cache-dir';
import { needsLocalBuild, obtainImage } from './ensure-image';
import { recipeHash } from './recipe';
import type { EnsureImageOptions, GuestArch, GuestImage, ImageVariant } from './types';

export type { EnsureImageOptions, GuestArch, GuestImage, ImageVariant } from './types';
export { ImageReleaseError, type ImageErrorKind } from './release/errors';
export { packageRelease } from './release/package-release';

export function imageHash(opts: { arch?: GuestArch; variant?: ImageVariant } = {}): string {
  return recipeHash(opts.arch ?? 'amd64', opts.variant ?? 'berth');
}

/**
 * The image for this recipe: bundled with the app, cached, downloaded from the image URL, or built here, in that
 * order (see ensure-image.ts and README "Where the image comes from"). Throws an ImageReleaseError with a hint
 * when none of them can provide it.
 */
export function ensureImage(opts: EnsureImageOptions = {}): Promise<GuestImage> {
  return obtainImage({ ...opts, cacheDir: opts.cacheDir ?? imageCacheDir() });
}

/** True when ensureImage would build the image here (nothing bundled or cached, no image URL). */
export function imageNeedsBuild(opts: EnsureImageOptions = {}): Promise<boolean> {
  return needsLocalBuild({ ...opts, cacheDir: opts.cacheDir ?? imageCacheDir() });
}
