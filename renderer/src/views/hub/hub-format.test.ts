import { describe, expect, it } from 'vitest';
import { formatCount } from './hub-format';

describe('Hub counts', () => {
  it('round up to the next unit instead of showing 1000 of the smaller one', () => {
    expect(formatCount(999_999_999)).toBe('1B');
    expect(formatCount(999_950)).toBe('1M');
    expect(formatCount(999.6)).toBe('1K');
    expect(formatCount(7_400_000_000)).toBe('7.4B');
    expect(formatCount(123_456)).toBe('123K');
    expect(formatCount(1_500)).toBe('1.5K');
    expect(formatCount(999)).toBe('999');
    expect(formatCount(null)).toBe('—');
  });
});
