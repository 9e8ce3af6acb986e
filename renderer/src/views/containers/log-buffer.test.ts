import { describe, expect, it } from 'vitest';

const matches = (b: LogBuffer) => Array.from({ length: b.matchCount }, (_, k) => b.matchAt(k));
import { LogBuffer, highlightParts } from './log-buffer';

describe('log search', () => {
  it('splits timestamps off and finds matches case-insensitively, also in lines that arrive later', () => {
    const b = new LogBuffer();
    b.append(['2026-11-22T08:00:00.000000001Z Server started', '2026-11-22T08:00:01.5Z GET /health 200', 'no timestamp ERROR here']);
    expect(b.timestamp(0)).toBe('2026-11-22T08:00:00.000000001Z');
    expect(b.text(0)).toBe('Server started');
    expect(b.text(2)).toBe('no timestamp ERROR here');
    b.setQuery('error');
    expect(matches(b)).toEqual([2]);
    b.append(['2026-11-22T08:00:02Z another error', '2026-11-22T08:00:03Z fine']);
    expect(matches(b)).toEqual([2, 3]);
    b.setQuery('');
    expect(matches(b)).toEqual([]);
  });

  it('does not match the timestamp itself', () => {
    const b = new LogBuffer();
    b.append(['2026-11-22T08:00:00Z hello']);
    b.setQuery('2026');
    expect(matches(b)).toEqual([]);
  });

  it('copies with or without timestamps', () => {
    const b = new LogBuffer();
    b.append(['2026-11-22T08:00:00Z a', '2026-11-22T08:00:01Z b']);
    expect(b.toText(false)).toBe('a\nb\n');
    expect(b.toText(true)).toBe('2026-11-22T08:00:00Z a\n2026-11-22T08:00:01Z b\n');
  });

  it('highlights every occurrence, keeping the original case', () => {
    expect(highlightParts('Error: an error', 'error')).toEqual([
      { text: 'Error', match: true },
      { text: ': an ', match: false },
      { text: 'error', match: true },
    ]);
    expect(highlightParts('plain', '')).toEqual([{ text: 'plain', match: false }]);
  });

  it('searches 100k lines quickly enough to type into', () => {
    const b = new LogBuffer();
    const lines = Array.from({ length: 100_000 }, (_, i) => `2026-11-22T08:00:00Z request ${i} took ${i % 97} ms${i % 1000 === 0 ? ' SLOW' : ''}`);
    b.append(lines);
    const t0 = performance.now();
    b.setQuery('slow');
    const ms = performance.now() - t0;
    expect(b.matchCount).toBe(100);
    expect(ms).toBeLessThan(100);
  });

  it('keeps the newest lines once full, overwriting the oldest, and its matches follow', () => {
    const b = new LogBuffer(4);
    b.setQuery('x');
    b.append(['a0', 'x1', 'a2', 'x3', 'a4', 'x5']);
    expect(b.length).toBe(4);
    expect(b.dropped).toBe(2);
    expect([0, 1, 2, 3].map((i) => b.text(i))).toEqual(['a2', 'x3', 'a4', 'x5']);
    expect(matches(b)).toEqual([1, 3]);
    b.append(['a6', 'a7', 'a8']);
    expect([0, 1, 2, 3].map((i) => b.text(i))).toEqual(['x5', 'a6', 'a7', 'a8']);
    expect(matches(b)).toEqual([0]);
    expect(b.toText(false)).toBe('x5\na6\na7\na8\n');
    b.setQuery('a');
    expect(matches(b)).toEqual([1, 2, 3]);
  });
});
