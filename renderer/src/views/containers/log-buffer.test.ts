import { describe, expect, it } from 'vitest';
import { LogBuffer, highlightParts } from './log-buffer';

describe('log search', () => {
  it('splits timestamps off and finds matches case-insensitively, also in lines that arrive later', () => {
    const b = new LogBuffer();
    b.append(['2026-11-22T08:00:00.000000001Z Server started', '2026-11-22T08:00:01.5Z GET /health 200', 'no timestamp ERROR here']);
    expect(b.timestamps[0]).toBe('2026-11-22T08:00:00.000000001Z');
    expect(b.texts[0]).toBe('Server started');
    expect(b.texts[2]).toBe('no timestamp ERROR here');
    b.setQuery('error');
    expect(b.matches).toEqual([2]);
    b.append(['2026-11-22T08:00:02Z another error', '2026-11-22T08:00:03Z fine']);
    expect(b.matches).toEqual([2, 3]);
    b.setQuery('');
    expect(b.matches).toEqual([]);
  });

  it('does not match the timestamp itself', () => {
    const b = new LogBuffer();
    b.append(['2026-11-22T08:00:00Z hello']);
    b.setQuery('2026');
    expect(b.matches).toEqual([]);
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
    expect(b.matches.length).toBe(100);
    expect(ms).toBeLessThan(100);
  });
});
