import { describe, expect, it } from 'vitest';
import { laterThan, lineTimestamp } from './log-time';

describe('log timestamps', () => {
  it('reads the timestamp that leads a line, and nothing else', () => {
    expect(lineTimestamp('2026-11-30T11:22:33.123456789Z hello world')).toBe('2026-11-30T11:22:33.123456789Z');
    expect(lineTimestamp('2026-11-30T11:22:33Z')).toBe('2026-11-30T11:22:33Z');
    expect(lineTimestamp('hello 2026-11-30T11:22:33Z')).toBeNull();
  });

  it('orders lines a microsecond apart, with trimmed trailing zeros, exactly', () => {
    expect(laterThan('2026-11-30T11:22:33.000001Z', '2026-11-30T11:22:33Z')).toBe(true);
    expect(laterThan('2026-11-30T11:22:33.1Z', '2026-11-30T11:22:33.100000000Z')).toBe(false);
    expect(laterThan('2026-11-30T11:22:33.123456789Z', '2026-11-30T11:22:33.123456788Z')).toBe(true);
    expect(laterThan('2026-11-30T11:22:32.999999999Z', '2026-11-30T11:22:33Z')).toBe(false);
  });
});
