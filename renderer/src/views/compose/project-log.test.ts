import { describe, expect, it } from 'vitest';
import { colourClass, MAX_LINES, ProjectLog, shortTime } from './project-log';

const line = (service: string, text: string, s = 0) => ({ service, text, time: `2026-11-30T14:00:0${s}.120000001Z` });

describe("a project's log lines", () => {
  it('filters by service and by a case-insensitive search, keeping the time order it was given', () => {
    const log = new ProjectLog();
    log.append([line('web', 'GET /', 1), line('db', 'Ready', 2), line('web', 'GET /health', 3)]);
    expect(log.visible(new Set(), '').map((l) => l.text)).toEqual(['GET /', 'Ready', 'GET /health']);
    expect(log.visible(new Set(['db']), '').map((l) => l.service)).toEqual(['web', 'web']);
    expect(log.visible(new Set(), 'health').map((l) => l.text)).toEqual(['GET /health']);
    expect(log.visible(new Set(), 'ready').map((l) => l.service)).toEqual(['db']);
  });

  it('keeps at most MAX_LINES, dropping the oldest', () => {
    const log = new ProjectLog();
    log.append(Array.from({ length: MAX_LINES + 5 }, (_, i) => line('a', String(i))));
    expect(log.length).toBe(MAX_LINES);
    expect(log.visible(new Set(), '')[0].text).toBe('5');
  });

  it("gives each service its own colour by its place in the project, and shows the time of day", () => {
    expect(colourClass('db', ['web', 'db'])).toBe('svc-1');
    expect(colourClass('web', ['web', 'db'])).toBe('svc-0');
    expect(colourClass('other', ['web'])).toMatch(/^svc-[0-7]$/);
    expect(shortTime('2026-11-30T14:03:07.123456789Z')).toBe('14:03:07.123');
    expect(shortTime('2026-11-30T14:03:07Z')).toBe('14:03:07.000');
  });
});
