import { onJsonLines } from '../base/json-lines';
import type { PullProgress } from '../contract/model';
import { pump, type PumpSink } from '../protocol/pump';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

/** One JSON line of a pull's or a push's progress stream. */
export interface ProgressLine {
  id?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
  aux?: { Digest?: string; Tag?: string; Size?: number };
}

/** Calls onEnd once when an engine stream ends, closes or fails (with the failure's message, else null). */
export function onStreamEnd(stream: NodeJS.ReadableStream, onEnd: (error: string | null) => void): void {
  let done = false;
  const end = (error: string | null) => {
    if (done) return;
    done = true;
    onEnd(error);
  };
  stream.on('end', () => end(null));
  stream.on('close', () => end(null));
  stream.on('error', (err: Error) => end(err.message));
}

/**
 * Forwards a pull's or push's per-layer progress to a client: the latest line per layer since the last batch,
 * so a slow client sees fewer, fresher updates. Resolves with the engine's error line, if there was one, once the
 * stream ends; the stream is destroyed either way.
 */
export async function forwardLayerProgress<T>(
  stream: Destroyable,
  sink: PumpSink<T>,
  batch: (updates: PullProgress[]) => T,
  onLine: (line: ProgressLine) => void = () => undefined,
): Promise<string | null> {
  const latest = new Map<string, PullProgress>();
  let failure: string | null = null;
  let ended = false;
  // A line without a status (the push's closing aux line with the digest) still makes a batch: onLine may have
  // changed what batch() reports.
  let changed = false;
  try {
    await pump(sink, {
      take: () => {
        if (!latest.size && !changed) return undefined;
        const updates = [...latest.values()];
        latest.clear();
        changed = false;
        return batch(updates);
      },
      ended: () => ended,
      listen: (wake) => {
        onJsonLines<ProgressLine>(stream, (j) => {
          onLine(j);
          if (j.error) failure = j.errorDetail?.message ?? j.error;
          if (!j.status && !j.error) {
            changed = true;
            wake();
            return;
          }
          const p: PullProgress = { status: j.status ?? j.error ?? '', ...(j.id ? { id: j.id } : {}) };
          if (j.progressDetail?.total)
            Object.assign(p, { current: j.progressDetail.current ?? 0, total: j.progressDetail.total });
          latest.set(j.id ?? `status:${latest.size}`, p);
          wake();
        });
        onStreamEnd(stream, (error) => {
          failure ??= error;
          ended = true;
          wake();
        });
        return () => undefined;
      },
    });
  } finally {
    stream.destroy?.();
  }
  return failure;
}
