import type { ComposeLogLine } from '../../../../electron/contract/contract';

/** How many lines a project's log view keeps; the oldest go first. */
export const MAX_LINES = 50_000;
/** Colours per service (classes svc-0 .. svc-7 in compose.css), by the service's place in the project. */
export const SERVICE_COLOURS = 8;

/**
 * A project's log lines as the agent sends them (already in time order across services), with the view's
 * filter: which services to show and a case-insensitive search.
 */
export class ProjectLog {
  private lines: ComposeLogLine[] = [];

  append(batch: ComposeLogLine[]): void {
    this.lines.push(...batch);
    if (this.lines.length > MAX_LINES) this.lines.splice(0, this.lines.length - MAX_LINES);
  }

  get length(): number {
    return this.lines.length;
  }

  /** The lines of the chosen services (all when `hidden` is empty) that contain the query. */
  visible(hidden: ReadonlySet<string>, query: string): ComposeLogLine[] {
    const q = query.trim().toLowerCase();
    return this.lines.filter((l) => !hidden.has(l.service) && (!q || l.text.toLowerCase().includes(q)));
  }
}

export function colourClass(service: string, services: readonly string[]): string {
  const i = services.indexOf(service);
  return `svc-${(i < 0 ? hash(service) : i) % SERVICE_COLOURS}`;
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h;
}

/** `14:03:07.123`: the time of day of an engine timestamp, for the log column. */
export function shortTime(ts: string): string {
  const m = /T(\d\d:\d\d:\d\d)(?:\.(\d{1,3}))?/.exec(ts);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(3, '0')}` : ts;
}
