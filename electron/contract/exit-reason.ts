/**
 * Why a container stopped or keeps restarting, in words: shared by the list, the details and the CLI.
 * Node-free (the renderer imports it).
 */
import type { ContainerSummary } from './model';

/** Restarts after which a container still restarting is in a loop rather than recovering from a hiccup. */
export const RESTART_LOOP_MIN = 3;

/** What an exit code says: 128+N is "killed by signal N"; 125-127 are the runtime's own failures. */
export function exitMeaning(code: number): string {
  switch (code) {
    case 0:
      return 'finished';
    case 1:
      return 'error';
    case 125:
      return 'the container could not run';
    case 126:
      return 'command cannot be run';
    case 127:
      return 'command not found';
    case 130:
      return 'interrupted (SIGINT)';
    case 134:
      return 'aborted (SIGABRT)';
    case 137:
      return 'killed (SIGKILL)';
    case 139:
      return 'crashed (segmentation fault)';
    case 143:
      return 'terminated (SIGTERM)';
  }
  if (code > 128 && code < 160) return `killed by signal ${code - 128}`;
  return 'error';
}

/** The exit code in Docker's status line ("Exited (137) 2 minutes ago"). */
export function exitCodeFromStatus(status: string): number | undefined {
  const m = /^Exited \((-?\d+)\)/.exec(status);
  return m ? Number(m[1]) : undefined;
}

/** The healthcheck's verdict in Docker's status line ("Up 3 minutes (unhealthy)", "(health: starting)"). */
export function healthFromStatus(status: string): ContainerSummary['health'] {
  if (/\(unhealthy\)/.test(status)) return 'unhealthy';
  if (/\(health: starting\)/.test(status)) return 'starting';
  if (/\(healthy\)/.test(status)) return 'healthy';
  return undefined;
}

/** Restarting again and again: the restart policy keeps bringing back a container that keeps failing. */
export function isRestartLoop(c: Pick<ContainerSummary, 'state' | 'restartCount'>): boolean {
  return c.state === 'restarting' && (c.restartCount ?? 0) >= RESTART_LOOP_MIN;
}

/** The list's one-line state: "Exited (137): killed (SIGKILL)", "OOM-killed", "Restarting (5×) — restart loop". */
export function stateLabel(c: Pick<ContainerSummary, 'state' | 'exitCode' | 'oomKilled' | 'restartCount'>): string {
  if ((c.state === 'exited' || c.state === 'dead' || c.state === 'restarting') && c.oomKilled) {
    return c.state === 'restarting' ? `OOM-killed, restarting${restarts(c)}` : 'OOM-killed';
  }
  if (c.state === 'restarting') return `Restarting${restarts(c)}${isRestartLoop(c) ? ' — restart loop' : ''}`;
  if (c.state === 'exited' && c.exitCode !== undefined) {
    return c.exitCode === 0 ? 'Exited (0)' : `Exited (${c.exitCode}): ${exitMeaning(c.exitCode)}`;
  }
  return c.state;
}

function restarts(c: Pick<ContainerSummary, 'restartCount'>): string {
  return c.restartCount ? ` (${c.restartCount}×)` : '';
}
