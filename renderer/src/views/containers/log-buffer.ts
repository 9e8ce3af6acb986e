const TS_RE = /^(\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d)) /;

/** Lines kept per panel; beyond this the oldest go (a day of chatty logs should not eat the renderer's memory). */
export const MAX_LINES = 500_000;

/**
 * A container's log as the panel shows it: timestamps split off once on arrival, and the search's matching
 * line numbers kept current incrementally (new lines are scanned as they arrive, not the whole log again).
 */
export class LogBuffer {
  readonly timestamps: string[] = [];
  readonly texts: string[] = [];
  /** Lower-cased once on arrival: every keystroke in the search box then costs only substring checks. */
  private readonly lowers: string[] = [];
  private queryLower = '';
  private matchList: number[] = [];
  /** Lines dropped from the front so far; keeps match numbers stable for callers that compare. */
  dropped = 0;

  get length(): number {
    return this.texts.length;
  }

  get matches(): readonly number[] {
    return this.matchList;
  }

  get query(): string {
    return this.queryLower;
  }

  append(lines: readonly string[]): void {
    const start = this.texts.length;
    for (const line of lines) {
      const m = TS_RE.exec(line);
      this.timestamps.push(m ? m[1] : '');
      const text = m ? line.slice(m[0].length) : line;
      this.texts.push(text);
      this.lowers.push(text.toLowerCase());
    }
    if (this.queryLower) this.scan(start);
    const over = this.texts.length - MAX_LINES;
    if (over > 0) {
      this.timestamps.splice(0, over);
      this.texts.splice(0, over);
      this.lowers.splice(0, over);
      this.dropped += over;
      let i = 0;
      while (i < this.matchList.length && this.matchList[i] < over) i++;
      this.matchList = this.matchList.slice(i).map((n) => n - over);
    }
  }

  setQuery(query: string): void {
    const q = query.toLowerCase();
    if (q === this.queryLower) return;
    this.queryLower = q;
    this.matchList = [];
    if (q) this.scan(0);
  }

  clear(): void {
    this.timestamps.length = 0;
    this.texts.length = 0;
    this.lowers.length = 0;
    this.matchList = [];
  }

  /** The log as text for copy and download. */
  toText(withTimestamps: boolean): string {
    if (!withTimestamps) return this.texts.join('\n') + '\n';
    return this.texts.map((t, i) => (this.timestamps[i] ? `${this.timestamps[i]} ${t}` : t)).join('\n') + '\n';
  }

  private scan(from: number): void {
    const q = this.queryLower;
    const lowers = this.lowers;
    for (let i = from; i < lowers.length; i++) {
      if (lowers[i].includes(q)) this.matchList.push(i);
    }
  }
}

/** A line cut into plain and matching parts, for rendering <mark>s. */
export function highlightParts(text: string, queryLower: string): { text: string; match: boolean }[] {
  if (!queryLower) return [{ text, match: false }];
  const lower = text.toLowerCase();
  const parts: { text: string; match: boolean }[] = [];
  let at = 0;
  for (let i = lower.indexOf(queryLower); i >= 0; i = lower.indexOf(queryLower, i + queryLower.length)) {
    if (i > at) parts.push({ text: text.slice(at, i), match: false });
    parts.push({ text: text.slice(i, i + queryLower.length), match: true });
    at = i + queryLower.length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), match: false });
  return parts;
}
