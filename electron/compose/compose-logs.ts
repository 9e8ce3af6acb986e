import type { ComposeLogBatch, ComposeLogLine } from '../contract/compose';
import { compareTimestamps } from '../model/log-time';
import { pump, type PumpSink } from '../protocol/pump';
import { composeFailed, runCompose, type ComposeTarget } from './compose-cli';
import { parseComposeLogLine, serviceResolver, sortByTime, TimeOrderWindow } from './log-merge';
import { readProject } from './project';

const BATCH = 2000;
/** How long a live line waits for a late line of another service before it is sent. */
const ORDER_WINDOW_MS = 1000;
const TICK_MS = 100;
const LOG_ARGS = ['logs', '--timestamps', '--no-color'];

/**
 * Every service's log lines in time order, each tagged with its service. The backlog (`logs --tail N`) is read
 * whole and sorted; with follow, `logs --follow --since <the last line's time>` continues it (lines already sent
 * at that very instant are skipped) through a short reordering window.
 */
export async function streamComposeLogs(
  target: ComposeTarget,
  opts: { follow: boolean; tail: number | 'all' },
  sink: PumpSink<ComposeLogBatch>,
): Promise<void> {
  const project = await readProject(target);
  const serviceOf = serviceResolver(
    project.name,
    project.services.flatMap((s) => s.containers.map((c) => ({ name: c.name, service: s.name }))),
  );
  const backlog: ComposeLogLine[] = [];
  const first = await runCompose(
    target,
    [...LOG_ARGS, '--tail', String(opts.tail)],
    (line, stream) => {
      const parsed = stream === 'stdout' ? parseComposeLogLine(line, serviceOf) : null;
      if (parsed) backlog.push(parsed);
    },
    sink.signal,
  );
  if (sink.signal.aborted) return;
  if (first.code !== 0) throw composeFailed('Reading the logs', first);
  const sorted = sortByTime(backlog);
  for (let i = 0; i < sorted.length; i += BATCH) await sink.push({ lines: sorted.slice(i, i + BATCH) });
  if (!opts.follow) return;

  const last = sorted.at(-1)?.time ?? null;
  const sentAtLast = new Set(sorted.filter((l) => last && compareTimestamps(l.time, last) === 0).map(key));
  const window = new TimeOrderWindow(ORDER_WINDOW_MS);
  let ended = false;
  let failure: Error | null = null;
  await pump(sink, {
    take: () => {
      const lines = window.release(Date.now(), ended);
      return lines.length ? { lines } : undefined;
    },
    ended: () => ended && window.size === 0,
    listen: (wake) => {
      const tick = setInterval(wake, TICK_MS);
      // Without a backlog there is no instant to continue from: with tail 0 nothing old was asked for; otherwise
      // there was nothing to read yet, and everything there is now is new.
      const since = last ? ['--since', last] : ['--tail', opts.tail === 0 ? '0' : 'all'];
      void runCompose(
        target,
        [...LOG_ARGS, '--follow', ...since],
        (line, stream) => {
          const parsed = stream === 'stdout' ? parseComposeLogLine(line, serviceOf) : null;
          if (!parsed) return;
          if (last) {
            const order = compareTimestamps(parsed.time, last);
            if (order < 0 || (order === 0 && sentAtLast.has(key(parsed)))) return;
          }
          window.add(parsed);
        },
        sink.signal,
      ).then((r) => {
        if (r.code !== 0 && !sink.signal.aborted) failure = composeFailed('Following the logs', r);
        ended = true;
        wake();
      });
      return () => clearInterval(tick);
    },
  });
  if (failure) throw failure;
}

function key(l: ComposeLogLine): string {
  return `${l.service}\0${l.text}`;
}
