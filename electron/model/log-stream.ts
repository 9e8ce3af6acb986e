import { BerthError } from '../base/errors';
import type { LogBatch } from '../contract/model';
import { pump, type PumpSink } from '../protocol/pump';
import { engineError } from './docker-errors';
import type { EngineSource } from './engine-model';
import { LogLineSplitter } from './log-lines';
import { laterThan, lineTimestamp } from './log-time';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

/** Lines the agent holds for one reader before it stops reading from the engine (which then holds the rest). */
const HOLD_LINES = 20_000;
const HISTORY_BATCH = 5000;
/** How long a follow waits for the engine to come back after the tunnel dropped under it. */
const RESUME_WAIT_MS = 60_000;

/**
 * A container's log lines in batches, each line led by its timestamp; with follow, until cancelled or the
 * container stops. A follow survives the SSH tunnel dropping: it waits for the engine to come back and resumes
 * from the last line it sent, so the reader sees neither a gap nor a repeat.
 */
export async function streamLogs(
  engine: EngineSource,
  id: string,
  opts: { follow: boolean; tail: number | 'all' },
  sink: PumpSink<LogBatch>,
): Promise<void> {
  let tty: boolean;
  try {
    tty = (await engine.docker.getContainer(id).inspect()).Config.Tty;
  } catch (err) {
    throw engineError(err, 'Could not read the logs');
  }
  const request = { stdout: true, stderr: true, timestamps: true, tail: opts.tail === 'all' ? undefined : opts.tail };
  if (!opts.follow) {
    const lines: string[] = [];
    const splitter = new LogLineSplitter(!tty, (l) => lines.push(l));
    const buf = (await engine.docker.getContainer(id).logs({ ...request, follow: false })) as unknown as Buffer;
    splitter.push(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
    splitter.flush();
    for (let i = 0; i < lines.length; i += HISTORY_BATCH) await sink.push({ lines: lines.slice(i, i + HISTORY_BATCH), stream: 'mixed' });
    return;
  }
  let last: string | null = null;
  for (;;) {
    const resumeFrom = last;
    const stream = (await engine.docker
      .getContainer(id)
      .logs({ ...request, follow: true, ...(resumeFrom ? { since: sinceParam(resumeFrom), tail: undefined } : {}) })
      .catch((err: unknown) => {
        throw engineError(err, 'Could not read the logs');
      })) as unknown as Destroyable;
    try {
      await followOnce(stream, tty, sink, (line) => {
        const ts = lineTimestamp(line);
        // `since` has whole-second granularity at the engine: drop what was already sent.
        if (resumeFrom && ts && !laterThan(ts, resumeFrom)) return false;
        if (ts) last = ts;
        return true;
      });
    } finally {
      stream.destroy?.();
    }
    if (sink.signal.aborted || !(await engineBack(engine, sink.signal))) break;
    const running = await engine.docker
      .getContainer(id)
      .inspect()
      .then((c) => c.State.Running, () => false);
    if (!running) break;
  }
  if (!sink.signal.aborted && !engine.status().engine.ready) {
    throw new BerthError('unavailable', 'The connection to the VM dropped and did not come back: the log follow ended', 'Check `berth status`; open the logs again once the engine is back.');
  }
}

/** One follow request, until the engine ends it (container stopped, or the tunnel under it dropped). */
function followOnce(stream: Destroyable, tty: boolean, sink: PumpSink<LogBatch>, keep: (line: string) => boolean): Promise<void> {
  let lines: string[] = [];
  let ended = false;
  const splitter = new LogLineSplitter(!tty, (l) => {
    if (keep(l)) lines.push(l);
  });
  return pump(sink, {
    take: () => {
      if (!lines.length) return undefined;
      const batch = lines;
      lines = [];
      stream.resume();
      return { lines: batch, stream: 'mixed' };
    },
    ended: () => ended,
    listen: (wake) => {
      stream.on('data', (chunk: Buffer) => {
        splitter.push(chunk);
        // Reading pauses while the client is behind: the engine holds the rest, the agent at most this much.
        if (lines.length > HOLD_LINES) stream.pause();
        wake();
      });
      const done = () => {
        ended = true;
        splitter.flush();
        wake();
      };
      stream.on('end', done);
      stream.on('close', done);
      stream.on('error', done);
      return () => undefined;
    },
  });
}

/** True once the engine answers (at once when it already does); false after RESUME_WAIT_MS or a cancel. */
function engineBack(engine: EngineSource, signal: AbortSignal): Promise<boolean> {
  // A follow that ended at the same moment the tunnel dropped may see the engine still "ready" for an instant.
  return new Promise((resolve) => {
    const settle = (ok: boolean) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => settle(false);
    const timer = setTimeout(() => settle(engine.status().engine.ready), RESUME_WAIT_MS);
    signal.addEventListener('abort', onAbort, { once: true });
    const check = () => {
      if (engine.status().engine.ready) settle(true);
      else setTimeout(check, 250);
    };
    setTimeout(check, 500);
  });
}

/** The engine's `since` as seconds.nanoseconds (it accepts fractions), from an RFC 3339 timestamp. */
function sinceParam(ts: string): string {
  const [seconds] = ts.split('.');
  return String(Math.floor(Date.parse(`${seconds.replace(/Z$/, '')}Z`) / 1000));
}
