import { describe, expect, it } from 'vitest';
import { parseComposeLogLine, serviceResolver, sortByTime, TimeOrderWindow } from './log-merge';
import { parsePs } from './project';

const serviceOf = serviceResolver('shop', [
  { name: 'shop-web-1', service: 'web' },
  { name: 'custom-db', service: 'db' },
]);

describe('compose log lines', () => {
  it("parses compose's prefix, the engine's timestamp and the text, tagging the service", () => {
    expect(parseComposeLogLine('web-1  | 2026-11-30T14:00:00.5Z hello | world', serviceOf)).toEqual({
      service: 'web',
      time: '2026-11-30T14:00:00.5Z',
      text: 'hello | world',
    });
    expect(parseComposeLogLine('custom-db  | 2026-11-30T14:00:01Z ready', serviceOf)?.service).toBe('db');
    // compose's "erase line" before the prefix goes; the container's own colours stay in the text.
    expect(parseComposeLogLine('\u001b[2Kweb-1 | 2026-11-30T14:00:01Z \u001b[31mred', serviceOf)).toEqual({
      service: 'web',
      time: '2026-11-30T14:00:01Z',
      text: '\u001b[31mred',
    });
    // A container compose did not list (scaled up since): its name minus the replica number.
    expect(parseComposeLogLine('cache-3 | 2026-11-30T14:00:01Z x', serviceOf)?.service).toBe('cache');
    expect(parseComposeLogLine('web-1 exited with code 0', serviceOf)).toBeNull();
  });

  it('sorts lines of two services by time, to the nanosecond, keeping equal instants in their order', () => {
    const lines = [
      { service: 'a', time: '2026-11-30T14:00:00.3Z', text: 'a2' },
      { service: 'a', time: '2026-11-30T14:00:00.000000001Z', text: 'a1' },
      { service: 'b', time: '2026-11-30T14:00:00.2Z', text: 'b1' },
      { service: 'b', time: '2026-11-30T14:00:00.3Z', text: 'b2' },
    ];
    expect(sortByTime(lines).map((l) => l.text)).toEqual(['a1', 'b1', 'a2', 'b2']);
  });

  it('the live window puts a late line of another service in its place, and releases only what waited', () => {
    const w = new TimeOrderWindow(300);
    w.add({ service: 'a', time: '2026-11-30T14:00:02Z', text: 'a' }, 1000);
    w.add({ service: 'b', time: '2026-11-30T14:00:01Z', text: 'b (late)' }, 1100);
    expect(w.release(1200)).toEqual([]);
    expect(w.release(1350).map((l) => l.text)).toEqual([]);
    expect(w.release(1400).map((l) => l.text)).toEqual(['b (late)', 'a']);
    w.add({ service: 'a', time: '2026-11-30T14:00:03Z', text: 'c' }, 2000);
    expect(w.release(2001, true).map((l) => l.text)).toEqual(['c']);
    expect(w.size).toBe(0);
  });

  it('reads `ps --format json` both as one array and as JSON lines', () => {
    expect(parsePs('[{"Name":"x","Service":"a"}]')).toEqual([{ Name: 'x', Service: 'a' }]);
    expect(parsePs('{"Name":"x"}\n{"Name":"y"}\n')).toHaveLength(2);
    expect(parsePs('')).toEqual([]);
  });
});
