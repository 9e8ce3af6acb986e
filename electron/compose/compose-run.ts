import { BerthError } from '../base/errors';
import type { ComposeAction, ComposeOutput } from '../contract/compose';
import { pump, type PumpSink } from '../protocol/pump';
import { composeFailed, runCompose, type ComposeTarget } from './compose-cli';

// Up detaches (-d): the containers outlive the call, as with Docker Desktop's Up; their output is the log view's.
const ARGS: Record<ComposeAction, string[]> = {
  up: ['up', '--detach'],
  down: ['down'],
  restart: ['restart'],
  pull: ['pull'],
};

const WHAT: Record<ComposeAction, string> = {
  up: 'docker compose up',
  down: 'docker compose down',
  restart: 'docker compose restart',
  pull: 'docker compose pull',
};

/**
 * Runs one compose command and streams its output lines; a non-zero exit ends the stream with its error.
 * `cutOffBy` says, once compose has failed, whether the engine went away under it (the VM stopped or restarted):
 * then the error says so, instead of blaming the compose file for an EOF.
 */
export async function runComposeAction(
  target: ComposeTarget,
  action: ComposeAction,
  sink: PumpSink<ComposeOutput>,
  cutOffBy: () => Promise<string | null> = async () => null,
): Promise<void> {
  let lines: string[] = [];
  let ended = false;
  let failure: Error | null = null;
  await pump(sink, {
    take: () => {
      if (!lines.length) return undefined;
      const batch = lines;
      lines = [];
      return { lines: batch };
    },
    ended: () => ended,
    listen: (wake) => {
      void runCompose(
        target,
        ARGS[action],
        (line) => {
          if (!line.trim()) return;
          lines.push(line);
          wake();
        },
        sink.signal,
      ).then(async (r) => {
        if (r.code !== 0 && !sink.signal.aborted) {
          const cause = await cutOffBy().catch(() => null);
          failure = cause ? cutOff(WHAT[action], cause) : composeFailed(WHAT[action], r);
        }
        ended = true;
        wake();
      });
      return () => undefined;
    },
  });
  if (failure) throw failure;
}

function cutOff(what: string, cause: string): BerthError {
  return new BerthError(
    'unavailable',
    `${what} was cut off: ${cause}. What it had started may be half done.`,
    'Wait until the engine is ready again (Berth restarts a VM that stopped unexpectedly when auto-restart is on; ' +
      'otherwise run `berth start`), then run it again: compose picks up from where the project is.',
  );
}
