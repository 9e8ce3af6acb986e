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
