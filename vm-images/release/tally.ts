import crypto from 'node:crypto';
import { Transform } from 'node:stream';
import type { ProgressFn } from '../types';

/** Bytes seen and their sha256, so a stream is measured once while it passes through. */
export class Tally {
  bytes = 0;
  private readonly hash = crypto.createHash('sha256');

  add(chunk: Buffer): void {
    this.bytes += chunk.length;
    this.hash.update(chunk);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}

/** A pass-through stage that feeds a Tally (and an optional byte callback). */
export function tallyStage(tally: Tally, onBytes?: (bytes: number) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      tally.add(chunk);
      onBytes?.(tally.bytes);
      done(null, chunk);
    },
  });
}

export function megabytes(bytes: number): string {
  return (bytes / 1e6).toFixed(1);
}

/**
 * Reports `label 120.4 of 281.4 MB (43%)` through onProgress a few times a second at most: a status bar
 * repainted per 64 KB chunk would cost more than the transfer. `done(bytes)` always reports the final figure.
 */
export function byteProgress(onProgress: ProgressFn, stage: string, label: string, total: number, intervalMs = 250):
  { update: (bytes: number) => void; done: (bytes: number) => void } {
  let last = 0;
  let lastText = '';
  const report = (bytes: number): void => {
    const percent = total > 0 ? Math.floor((bytes / total) * 100) : 100;
    const text = `${label} ${megabytes(bytes)} of ${megabytes(total)} MB (${percent}%)`;
    if (text !== lastText) onProgress(stage, text);
    lastText = text;
  };
  return {
    update(bytes) {
      const now = Date.now();
      if (now - last < intervalMs) return;
      last = now;
      report(bytes);
    },
    done: report,
  };
}
