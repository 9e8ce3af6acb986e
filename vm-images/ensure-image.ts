import fs from 'node:fs/promises';
import path from 'node:path';
import { buildImage } from './builder/build-image';
import { withLock } from './builder/lock';
import { pruneSupersededImages } from './cache-prune';
import { describeImage, exists } from './image-dir';
import { localBuildBlocker } from './local-build';
import { recipeHash } from './recipe';
import { defaultBundledDir, inspectBundledDir } from './release/bundled';
import { ImageReleaseError } from './release/errors';
import { fetchRelease } from './release/fetch-release';
import type { ImageIdentity } from './release/format';
import { type ReleaseSource, httpReleaseSource } from './release/sources';
import type { EnsureImageOptions, GuestImage, LocalBuildFn, ProgressFn } from './types';

const WHERE_TO_GET_ONE =
  'Check BERTH_IMAGE_URL or the imageUrl setting (the address of a folder written by `npm run vm:package`), ' +
  'or build the image on Linux with `npm run vm:build`';

/**
 * The image for this recipe, from the first place that has it: (a) a folder bundled with the app, (b) the cache,
 * (c) a release downloaded from the image URL, (d) a local build from the recipe. What (c) and (d) produce enters
 * the cache atomically: it is assembled in a temp dir of the cache and renamed into place under the image's lock,
 * so a failed or interrupted attempt leaves only a temp dir, which the next attempt removes.
 */
export async function obtainImage(opts: EnsureImageOptions & { cacheDir: string }): Promise<GuestImage> {
  const want = wantedImage(opts);
  const env = opts.env ?? process.env;
  const onProgress: ProgressFn = opts.onProgress ?? (() => {});
  const { cacheDir } = opts;
  const cached = describeImage(path.join(cacheDir, want.hash), want);
  const sources: ReleaseSource[] = [];
  // Why an earlier source was passed over: the error to show if nothing later works either.
  let refusal: ImageReleaseError | undefined;
  const refuse = (stage: string, err: unknown): void => {
    if (!(err instanceof ImageReleaseError)) throw err;
    refusal = err;
    onProgress(stage, `refused: ${err.message}`);
  };

  const namedDir = env.BERTH_IMAGE_DIR || undefined;
  try {
    const bundled = await inspectBundledDir(namedDir ?? opts.bundledDir ?? defaultBundledDir(), want, Boolean(namedDir));
    if (bundled?.kind === 'image') {
      onProgress('bundled', bundled.image.dir);
      return bundled.image;
    }
    if (bundled) sources.push(bundled.source);
  } catch (err) {
    refuse('bundled', err);
  }

  if (await exists(cached.manifestPath)) return cached;

  const imageUrl = env.BERTH_IMAGE_URL || opts.imageUrl;
  if (imageUrl) {
    try {
      sources.push(httpReleaseSource(imageUrl));
    } catch (err) {
      refuse('download', err);
    }
  }

  const blocker = opts.canBuildLocally === undefined ? localBuildBlocker(env)
    : opts.canBuildLocally ? null : 'a local build is not possible here';
  if (!sources.length && blocker) throw nothingToTry(want, refusal, blocker);

  await fs.mkdir(cacheDir, { recursive: true });
  return withLock(path.join(cacheDir, `${want.hash}.lock`),
    () => onProgress('waiting', 'another download or build of this image is running'), async () => {
      if (await exists(cached.manifestPath)) return cached;
      await removeDeadTempDirs(cacheDir, want.hash);
      let lastError = refusal;
      for (const [i, source] of sources.entries()) {
        try {
          await assembleInCache(cacheDir, cached.dir, (tmp) => fetchRelease(source, want, tmp, onProgress));
          return await published(cacheDir, cached, onProgress);
        } catch (err) {
          if (!(err instanceof ImageReleaseError)) throw err;
          lastError = err;
          const next = sources[i + 1] ? `trying ${sources[i + 1].where} instead`
            : blocker ? 'no other source is left' : 'building locally instead';
          onProgress(source.stage, `failed: ${err.message}; ${next}`);
        }
      }
      if (blocker) throw lastError ? withAdvice(lastError, blocker) : nothingToTry(want, undefined, blocker);
      const build: LocalBuildFn = opts.buildLocally ?? buildImage;
      await assembleInCache(cacheDir, cached.dir, (tmp) => build({ ...want, outDir: tmp, onProgress }));
      return published(cacheDir, cached, onProgress);
    });
}

function wantedImage(opts: EnsureImageOptions): ImageIdentity {
  const arch = opts.arch ?? 'amd64';
  const variant = opts.variant ?? 'berth';
  return { arch, variant, hash: opts.expectedHash ?? recipeHash(arch, variant) };
}

/**
 * True when obtainImage would have to build the image here: nothing bundled or cached and no image URL. Lets a
 * caller check the build's tools up front, before anything else is started.
 */
export async function needsLocalBuild(opts: EnsureImageOptions & { cacheDir: string }): Promise<boolean> {
  const want = wantedImage(opts);
  const env = opts.env ?? process.env;
  const namedDir = env.BERTH_IMAGE_DIR || undefined;
  const bundled = await inspectBundledDir(namedDir ?? opts.bundledDir ?? defaultBundledDir(), want, Boolean(namedDir)).catch(() => null);
  if (bundled) return false;
  if (await exists(describeImage(path.join(opts.cacheDir, want.hash), want).manifestPath)) return false;
  return !(env.BERTH_IMAGE_URL || opts.imageUrl);
}

/** Fills a fresh temp dir of the cache and renames it to `finalDir`; on any failure nothing of it remains. */
async function assembleInCache(cacheDir: string, finalDir: string, fill: (tmp: string) => Promise<unknown>): Promise<void> {
  const tmp = await fs.mkdtemp(path.join(cacheDir, `.build-${path.basename(finalDir)}-`));
  try {
    await fill(tmp);
    await fs.chmod(tmp, 0o755);
    await fs.rm(finalDir, { recursive: true, force: true });
    await fs.rename(tmp, finalDir);
  } catch (err) {
    await fs.rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Holding the image's lock, any temp dir of its hash belongs to an attempt that died (a crash, a kill -9). */
async function removeDeadTempDirs(cacheDir: string, hash: string): Promise<void> {
  for (const name of await fs.readdir(cacheDir)) {
    if (name.startsWith(`.build-${hash}-`)) await fs.rm(path.join(cacheDir, name), { recursive: true, force: true });
  }
}

async function published(cacheDir: string, image: GuestImage, onProgress: ProgressFn): Promise<GuestImage> {
  onProgress('done', image.dir);
  const pruned = await pruneSupersededImages(cacheDir, image);
  if (pruned.length) onProgress('pruned', `superseded images ${pruned.join(', ')}`);
  return image;
}

function withAdvice(err: ImageReleaseError, blocker: string): ImageReleaseError {
  return err.withHint(`${err.hint ? `${err.hint} ` : ''}${WHERE_TO_GET_ONE} (${blocker}).`);
}

function nothingToTry(want: ImageIdentity, refusal: ImageReleaseError | undefined, blocker: string): ImageReleaseError {
  if (refusal) return withAdvice(refusal, blocker);
  return new ImageReleaseError('unavailable',
    `No guest image for recipe ${want.hash} (${want.arch}/${want.variant}): none is bundled or cached, ` +
      `no image URL is set, and ${blocker}`,
    `Set BERTH_IMAGE_URL or the imageUrl setting to the address of a folder written by \`npm run vm:package\`, ` +
      'or build the image on Linux with `npm run vm:build`.');
}
