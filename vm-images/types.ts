export type GuestArch = 'amd64' | 'arm64';
export type ImageVariant = 'berth' | 'systemd';

/** A built guest image in the cache: every path is absolute and the files never change once published. */
export interface GuestImage {
  dir: string;
  hash: string;
  arch: GuestArch;
  variant: ImageVariant;
  kernel: string;
  initrd: string;
  rootfs: string;
  manifestPath: string;
}

export type ProgressFn = (stage: string, detail?: string) => void;

/** Builds the image from the recipe into `outDir` (a private temp dir the caller publishes). */
export type LocalBuildFn = (opts: { arch: GuestArch; variant: ImageVariant; hash: string; outDir: string;
  onProgress: ProgressFn }) => Promise<unknown>;

/** How `ensureImage` finds the image; every field is optional and the defaults are what the app wants. */
export interface EnsureImageOptions {
  arch?: GuestArch;
  variant?: ImageVariant;
  onProgress?: ProgressFn;
  /** Address of a release folder written by `npm run vm:package` (the user's imageUrl setting). BERTH_IMAGE_URL wins. */
  imageUrl?: string;
  /** A folder shipped with the app holding a release or an unpacked image. BERTH_IMAGE_DIR wins. */
  bundledDir?: string;
  /** Where images are cached; defaults to the user's image cache. */
  cacheDir?: string;
  /** The recipe hash the image must have; defaults to the hash of this checkout's recipe (tests inject one). */
  expectedHash?: string;
  /** Whether a local build may be tried; defaults to asking the machine (Linux, root, mmdebstrap on PATH). */
  canBuildLocally?: boolean;
  /** Builds from the recipe; defaults to the real builder (tests inject a quick one). */
  buildLocally?: LocalBuildFn;
  /** Read for BERTH_IMAGE_URL, BERTH_IMAGE_DIR and PATH; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}
