/**
 * Why a guest image could not be obtained. Shaped like the agent's BerthError (a message for people and a hint
 * saying what to do next) without importing it: vm-images does not depend on electron/. `kind` lets the agent
 * pick its own error code.
 */
export type ImageErrorKind =
  /** The release or bundled image is for another recipe, architecture or variant. */
  | 'mismatch'
  /** An artifact's bytes differ from what the manifest promises (flipped, cut short, too long). */
  | 'corrupt'
  /** The transfer itself failed: connection refused, HTTP error status, connection closed mid-body. */
  | 'download'
  /** The manifest is unreadable or describes something this Berth cannot install. */
  | 'bad-release'
  /** No source could provide the image and this machine cannot build it. */
  | 'unavailable';

export class ImageReleaseError extends Error {
  readonly kind: ImageErrorKind;
  readonly hint?: string;

  constructor(kind: ImageErrorKind, message: string, hint?: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageReleaseError';
    this.kind = kind;
    this.hint = hint;
  }

  /** The same failure with the advice that fits where it surfaced (e.g. once no local build can follow). */
  withHint(hint: string): ImageReleaseError {
    return new ImageReleaseError(this.kind, this.message, hint, { cause: this });
  }
}

export function errorMessage(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch() reports every network failure as "fetch failed"; the reason is in its cause.
  const cause = (err as { cause?: unknown }).cause;
  if (err.message === 'fetch failed' && cause instanceof Error) return `${err.message}: ${cause.message}`;
  return err.message;
}
