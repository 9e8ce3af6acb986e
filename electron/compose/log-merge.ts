import type { ComposeLogLine } from '../contract/compose';
import { compareTimestamps } from '../model/log-time';

/**
 * compose's log lines (`docker compose logs --timestamps --no-color`) into `{service, time, text}`, and the
 * ordering across services. compose prints each container's lines as they come from the engine, so two services
 * interleave in arrival order, not time order (the backlog of each container even comes as one block); the
 * engine's timestamps put them in order.
 */

// `web-1  | 2026-11-30T14:00:00.123456789Z hello`: the container's name without the project, padded, a bar, then
// the engine's timestamp and the line.
const LINE = /^(\S+)\s*\| (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) ?(.*)$/;

/** Maps compose's line prefix to a service: by the containers' names when known, else `name-N` minus `-N`. */
export type ServiceOf = (prefix: string) => string;

export function serviceResolver(project: string, containers: { name: string; service: string }[]): ServiceOf {
  const byPrefix = new Map<string, string>();
  for (const c of containers) {
    byPrefix.set(c.name, c.service);
    if (c.name.startsWith(`${project}-`)) byPrefix.set(c.name.slice(project.length + 1), c.service);
  }
  return (prefix) => byPrefix.get(prefix) ?? prefix.replace(/-\d+$/, '');
}

// compose leads each line with "erase line" (ESC [2K) even under --no-color; a container's own escapes stay.
// eslint-disable-next-line no-control-regex
const LEADING_ESCAPES = /^(?:\u001b\[[0-9;]*[A-Za-z])+/;

/** One line of compose's output as a log line; null for compose's own notes ("web-1 exited with code 0"). */
export function parseComposeLogLine(line: string, serviceOf: ServiceOf): ComposeLogLine | null {
  const m = LINE.exec(line.replace(LEADING_ESCAPES, ''));
  return m ? { service: serviceOf(m[1]), time: m[2], text: m[3] } : null;
}

/** Stable: lines with the same timestamp keep compose's order. */
export function sortByTime(lines: ComposeLogLine[]): ComposeLogLine[] {
  return lines
    .map((line, i) => ({ line, i }))
    .sort((a, b) => compareTimestamps(a.line.time, b.line.time) || a.i - b.i)
    .map((x) => x.line);
}

/**
 * Live lines from several services, held for a short window and released in time order: a line that arrives
 * late (another container's stream was a little behind) still lands in its place. Lines older than the last
 * released one (later than the window allows) go out at once rather than being lost.
 */
export class TimeOrderWindow {
  private held: { line: ComposeLogLine; at: number }[] = [];

  constructor(private readonly windowMs: number) {}

  add(line: ComposeLogLine, now = Date.now()): void {
    this.held.push({ line, at: now });
  }

  /** Lines whose window has passed (all of them with `all`), in time order. */
  release(now = Date.now(), all = false): ComposeLogLine[] {
    if (!this.held.length) return [];
    const sorted = this.held
      .map((h, i) => ({ ...h, i }))
      .sort((a, b) => compareTimestamps(a.line.time, b.line.time) || a.i - b.i);
    // Release the longest time-ordered prefix whose lines have all waited out the window.
    let n = 0;
    while (n < sorted.length && (all || now - sorted[n].at >= this.windowMs)) n++;
    this.held = sorted.slice(n).map(({ line, at }) => ({ line, at }));
    return sorted.slice(0, n).map((h) => h.line);
  }

  get size(): number {
    return this.held.length;
  }
}
