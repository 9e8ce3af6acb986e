import type Docker from 'dockerode';
import type { LogBatch } from '../contract/model';
import { pump, type PumpSink } from '../protocol/pump';
import { engineError } from './docker-errors';
import { LogLineSplitter } from './log-lines';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

/** Lines the agent holds for one reader before it stops reading from the engine (which then holds the rest). */
const HOLD_LINES = 20_000;
const HISTORY_BATCH = 5000;

/** A container's log lines in batches, each line led by its timestamp; with follow, until cancelled. */
export async function streamLogs(
  docker: Docker,
  id: string,
  opts: { follow: boolean; tail: number | 'all' },
  sink: PumpSink<LogBatch>,
): Promise<void> {
  const c = docker.getContainer(id);
  let tty: boolean;
  try {
    tty = (await c.inspect()).Config.Tty;
  } catch (err) {
    throw engineError(err, 'Could not read the logs');
  }
  const request = {
    stdout: true,
    stderr: true,
    timestamps: true,
    tail: opts.tail === 'all' ? undefined : opts.tail,
  };
  let lines: string[] = [];
  const splitter = new LogLineSplitter(!tty, (l) => lines.push(l));
  if (!opts.follow) {
    const buf = (await c.logs({ ...request, follow: false })) as unknown as Buffer;
    splitter.push(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
    splitter.flush();
    for (let i = 0; i < lines.length; i += HISTORY_BATCH)
      await sink.push({ lines: lines.slice(i, i + HISTORY_BATCH), stream: 'mixed' });
    return;
  }
  const stream = (await c.logs({ ...request, follow: true })) as unknown as Destroyable;
  let ended = false;
  try {
    await pump(sink, {
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
  } finally {
    stream.destroy?.();
  }
}
