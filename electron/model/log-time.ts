/**
 * Docker's log timestamps (RFC 3339 with up to nine fractional digits, trailing zeros trimmed) compared exactly:
 * Date.parse keeps only milliseconds, and two lines a microsecond apart must stay apart.
 */

/** The timestamp that leads a log line written with `timestamps: true`, or null. */
export function lineTimestamp(line: string): string | null {
  const space = line.indexOf(' ');
  const ts = space > 0 ? line.slice(0, space) : line;
  return /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(ts) ? ts : null;
}

/** Nanoseconds since the epoch, as a bigint. */
function nanos(ts: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(ts);
  if (!m) return 0n;
  const whole = BigInt(Date.parse(`${m[1]}${m[3]}`)) * 1_000_000n;
  return whole + BigInt((m[2] ?? '').padEnd(9, '0').slice(0, 9) || '0');
}

export function laterThan(a: string, b: string): boolean {
  return nanos(a) > nanos(b);
}

/** For sorting: negative when a is earlier than b, 0 when the same instant. */
export function compareTimestamps(a: string, b: string): number {
  const d = nanos(a) - nanos(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}
