/** A leading RFC 3339 timestamp and its space (docker's `timestamps: true`); it has no space inside. */
const TS_RE = /^\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d) /;

/** Lines kept per panel; beyond this the oldest go (a day of chatty logs should not eat the renderer's memory). */
export const MAX_LINES = 500_000;

/**
 * A container's log as the panel shows it: timestamps split off once on arrival, and the search's matching
 * line numbers kept current incrementally (new lines are scanned as they arrive, not the whole log again).
 * Lines live in a ring of fixed capacity: once full, each new line overwrites the oldest, so a full buffer
 * costs the same per batch as an empty one (no array of 500k lines copied to drop a few from its front).
 * Each line is kept as it arrived plus where its text starts (a number in a typed array), and a lower-cased
 * copy only when it has capitals: one or two objects per line for the garbage collector to trace, not four
 * (line, timestamp, text, lower-cased text); the text and timestamp of the ~50 lines on screen are cut out
 * when drawn.
 */
export class LogBuffer {
  private readonly lines: string[] = [];
  /** Where line i's text starts (0: no timestamp), per ring slot; grows by doubling up to the capacity. */
  private textStart = new Int32Array(1024);
  /**
   * Per ring slot, the lower-cased text for lines that have capitals (undefined for the others, which are
   * searched in place): a keystroke in the search box then costs substring checks only, no lower-casing.
   */
  private readonly lowers: (string | undefined)[] = [];
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
    return this.lines.length;
  }

  /** Line i's text without its timestamp (0 is the oldest line kept). */
  text(i: number): string {
    const slot = this.slot(i);
    const line = this.lines[slot];
    return line === undefined ? '' : line.slice(this.textStart[slot]);
  }

  /** Line i's timestamp as the engine sent it, '' when it had none. */
  timestamp(i: number): string {
    const slot = this.slot(i);
    const start = this.textStart[slot];
    return start ? this.lines[slot].slice(0, start - 1) : '';
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
    for (const line of lines) this.put(line, TS_RE.test(line) ? line.indexOf(' ') + 1 : 0);
  }

  setQuery(query: string): void {
    const q = query.toLowerCase();
    if (q === this.queryLower) return;
    this.queryLower = q;
    this.matchList = [];
    this.matchStart = 0;
    if (!q) return;
    for (let i = 0; i < this.length; i++) if (this.slotMatches(this.slot(i), q)) this.matchList.push(this.dropped + i);
  }

  clear(): void {
    this.lines.length = 0;
    this.lowers.length = 0;
    this.head = 0;
    this.matchList = [];
    this.matchStart = 0;
  }

  /** The log as text for copy and download. */
  toText(withTimestamps: boolean): string {
    const out: string[] = [];
    for (let i = 0; i < this.length; i++) out.push(withTimestamps ? this.lines[this.slot(i)] : this.text(i));
    return out.join('\n') + '\n';
  }

  private slot(i: number): number {
    const s = this.head + i;
    return s >= this.capacity ? s - this.capacity : s;
  }

  /** The text part of the line in this slot contains q (lower-case). */
  private slotMatches(slot: number, q: string): boolean {
    const lower = this.lowers[slot];
    return lower !== undefined ? lower.includes(q) : this.lines[slot].indexOf(q, this.textStart[slot]) >= 0;
  }

  private put(line: string, textStart: number): void {
    const number = this.dropped + this.length;
    let slot: number;
    if (this.lines.length < this.capacity) {
      slot = this.lines.length;
      this.lines.push(line);
      if (slot >= this.textStart.length) {
        const grown = new Int32Array(Math.min(this.capacity, this.textStart.length * 2));
        grown.set(this.textStart);
        this.textStart = grown;
      }
    } else {
      // Full: the oldest line's slot takes the new one, and the oldest match goes if it was that line.
      slot = this.head;
      this.lines[slot] = line;
      this.head = this.head + 1 === this.capacity ? 0 : this.head + 1;
      this.dropped += 1;
      if (this.matchStart < this.matchList.length && this.matchList[this.matchStart] < this.dropped) this.matchStart += 1;
      // Forget dropped matches in one go once they are half the list (amortized O(1) per line).
      if (this.matchStart > 1024 && this.matchStart * 2 > this.matchList.length) {
        this.matchList = this.matchList.slice(this.matchStart);
        this.matchStart = 0;
      }
    }
    this.textStart[slot] = textStart;
    // toLowerCase returns its input when nothing changes: only lines with capitals keep a second string.
    const text = textStart ? line.slice(textStart) : line;
    const lower = text.toLowerCase();
    this.lowers[slot] = lower === text ? undefined : lower;
    if (this.queryLower && this.slotMatches(slot, this.queryLower)) this.matchList.push(number);
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
