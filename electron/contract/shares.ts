/** Params and results of shares.* (no Node imports: the renderer reads these too). */
import { z } from 'zod';

export const sharesCheckParams = z
  .object({
    /** A bind mount's host path as typed (or a whole `-v SRC:DST[:OPTS]` / `--mount` spec). */
    hostPath: z.string().min(1).max(4096),
  })
  .strict();

export interface ShareCheck {
  /** The host path that was checked (the source, when a whole -v spec was given); null for a named volume. */
  hostPath: string | null;
  /** True when the path is visible in the VM (or is not a bind mount at all). */
  ok: boolean;
  /** What to tell the user when not ok. */
  message: string | null;
}

export interface SharedFolder {
  tag: string;
  path: string;
  /** How the running VM mounted it: virtiofs (a virtiofsd serves it) or 9p (QEMU does); absent for configured ones. */
  transport?: '9p' | 'virtiofs';
}

export interface SharesView {
  /** What the running VM mounted; null when no VM runs. */
  active: SharedFolder[] | null;
  /** What the next boot will mount, from the settings. */
  configured: SharedFolder[];
  /** Settings entries that cannot be shared, with the reason. */
  skipped: { path: string; reason: string }[];
  /** The settings differ from what the running VM mounted. */
  restartRequired: boolean;
}
