/** A leading RFC 3339 timestamp and its space (docker's `timestamps: true`); it has no space inside. */
const TS_RE = /^\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d) /;

/** Lines kept per panel; beyond this the oldest go (a day of chatty logs should not eat the renderer's memory). */
export const MAX_LINES = 500_000;

/**
 * A container's log as the panel shows it: timestamps split off once on arrival, and the search's matching
 * line numbers kept current incrementally (new lines are scanned as they arrive, not the whole log again).
 * Lines live in a ring of fixed capacity: once full, each new line overwrites the oldest, so a full buffer
 * costs the same per batch as an empty one (no array of 500k lines copied to drop a few from its front).
 */
export class LogBuffer {
  private readonly tsRing: string[] = [];
  private readonly textRing: string[] = [];
  /** Lower-cased once on arrival: every keystroke in the search box then costs only substring checks. */
  private readonly lowerRing: string[] = [];
  /** Ring slot of line 0 (the oldest kept); stays 0 until the ring is full. */
  private head = 0;
  private queryLower = '';
  /** Matching lines as absolute line numbers (dropped + index), from `matchStart` on: dropping is a pointer move. */
  private matchList: number[] = [];
  private matchStart = 0;
  /** Lines dropped from the front so far. */
  dropped = 0;

  constructor(private readonly capacity = MAX_LINES) {}

  get length(): number {
    return this.textRing.length;
  }

  /** Line i's text without its timestamp (0 is the oldest line kept). */
  text(i: number): string {
    return this.textRing[this.slot(i)] ?? '';
  }

  /** Line i's timestamp as the engine sent it, '' when it had none. */
  timestamp(i: number): string {
    return this.tsRing[this.slot(i)] ?? '';
  }

  get matchCount(): number {
    return this.matchList.length - this.matchStart;
  }

  /** The line index of the k-th match. */
  matchAt(k: number): number {
    return this.matchList[this.matchStart + k] - this.dropped;
  }

  get query(): string {
    return this.queryLower;
  }

  append(lines: readonly string[]): void {
    // test() and indexOf, not exec(): no match array per line (100k lines a second make the GC run often enough).
    // toLowerCase returns the line itself when it has no capitals, so most lines cost no extra string either.
    for (const line of lines) {
      if (TS_RE.test(line)) {
        const space = line.indexOf(' ');
        const text = line.slice(space + 1);
        this.put(line.slice(0, space), text, text.toLowerCase());
      } else this.put('', line, line.toLowerCase());
    }
  }

  setQuery(query: string): void {
    const q = query.toLowerCase();
    if (q === this.queryLower) return;
    this.queryLower = q;
    this.matchList = [];
    this.matchStart = 0;
    if (!q) return;
    for (let i = 0; i < this.length; i++) if (this.lowerRing[this.slot(i)].includes(q)) this.matchList.push(this.dropped + i);
  }

  clear(): void {
    this.tsRing.length = 0;
    this.textRing.length = 0;
    this.lowerRing.length = 0;
    this.head = 0;
    this.matchList = [];
    this.matchStart = 0;
  }

  /** The log as text for copy and download. */
  toText(withTimestamps: boolean): string {
    const out: string[] = [];
    for (let i = 0; i < this.length; i++) {
      const ts = withTimestamps ? this.timestamp(i) : '';
      out.push(ts ? `${ts} ${this.text(i)}` : this.text(i));
    }
    return out.join('\n') + '\n';
  }

  private slot(i: number): number {
    const s = this.head + i;
    return s >= this.capacity ? s - this.capacity : s;
  }

  private put(ts: string, text: string, lower: string): void {
    const number = this.dropped + this.length;
    if (this.textRing.length < this.capacity) {
      this.tsRing.push(ts);
      this.textRing.push(text);
      this.lowerRing.push(lower);
    } else {
      // Full: the oldest line's slot takes the new one, and the oldest match goes if it was that line.
      this.tsRing[this.head] = ts;
      this.textRing[this.head] = text;
      this.lowerRing[this.head] = lower;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.dropped += 1;
      if (this.matchStart < this.matchList.length && this.matchList[this.matchStart] < this.dropped) this.matchStart += 1;
      // Forget dropped matches in one go once they are half the list (amortized O(1) per line).
      if (this.matchStart > 1024 && this.matchStart * 2 > this.matchList.length) {
        this.matchList = this.matchList.slice(this.matchStart);
        this.matchStart = 0;
      }
    }
    if (this.queryLower && lower.includes(this.queryLower)) this.matchList.push(number);
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
