import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../base/errors';
import { writeFileAtomic } from '../base/atomic-file';
import { defaultSettings, settingsProblems } from './schema';
import { SettingsStore } from './store';

const host = { cpus: 4, memoryMiB: 8192 };
let dir: string;
let file: string;

beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-settings-'));
  file = path.join(dir, 'settings.json');
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

async function rejection(p: Promise<unknown>): Promise<BerthError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BerthError);
  return err as BerthError;
}

describe('settings validation', () => {
  it('accepts the defaults for this host', () => {
    expect(settingsProblems(defaultSettings(host), host)).toEqual([]);
  });

  it('names the field for each kind of bad value', () => {
    const base = defaultSettings(host);
    expect(settingsProblems({ ...base, cpus: 0 }, host)).toEqual([{ field: 'cpus', message: 'must be at least 1' }]);
    expect(settingsProblems({ ...base, cpus: 5 }, host)[0]).toEqual({
      field: 'cpus',
      message: 'is 5 but this host has 4 CPUs',
    });
    expect(settingsProblems({ ...base, memoryMiB: 9000 }, host)[0].field).toBe('memoryMiB');
    expect(settingsProblems({ ...base, memoryMiB: '2G' }, host)).toEqual([
      { field: 'memoryMiB', message: 'must be a number' },
    ]);
    expect(settingsProblems({ ...base, cpus: 1.5 }, host)[0]).toEqual({
      field: 'cpus',
      message: 'must be a whole number',
    });
    expect(settingsProblems({ ...base, bogus: 1 }, host)).toEqual([{ field: 'bogus', message: 'is not a known setting' }]);
  });

  it('reports every bad field at once', () => {
    const fields = settingsProblems({ ...defaultSettings(host), cpus: 0, diskGiB: 'x' }, host).map((p) => p.field);
    expect(fields.sort()).toEqual(['cpus', 'diskGiB']);
  });
});

describe('SettingsStore', () => {
  it('names a settings file that is not an object instead of taking the defaults', async () => {
    const store = new SettingsStore(file, host);
    for (const [text, shown] of [['null', 'null'], ['[]', 'a list'], ['"x"', 'a string']] as const) {
      await fs.writeFile(file, text);
      const err = await rejection(store.get());
      expect(err.code).toBe('bad-request');
      expect(err.message).toBe(`${file} is not a settings object: it holds ${shown}${shown === 'a string' ? ' ("x")' : ''}`);
    }
    const err = await rejection(store.update('x'));
    expect(err.message).toMatch(/^The change is not a settings object/);
  });

  it('hints with an example of the field that is bad', async () => {
    const store = new SettingsStore(file, host);
    const err = await rejection(store.update({ memoryMiB: 100 }));
    expect(err.hint).toContain('berth settings set memoryMiB=4096');
    expect(err.hint).not.toContain('cpus=2');
  });

  it('returns defaults when no file exists and writes nothing', async () => {
    const store = new SettingsStore(file, host);
    expect(await store.get()).toEqual(defaultSettings(host));
    await expect(fs.stat(file)).rejects.toThrow();
  });

  it('writes a valid update atomically with mode 0600 and reports restart-only fields', async () => {
    const store = new SettingsStore(file, host);
    const res = await store.update({ cpus: 3, autostart: true });
    expect(res.settings.cpus).toBe(3);
    expect(res.restartRequired).toEqual(['cpus']);
    expect(JSON.parse(await fs.readFile(file, 'utf8')).cpus).toBe(3);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('writes nothing when an update is invalid, leaving the previous file byte for byte', async () => {
    const store = new SettingsStore(file, host);
    await store.update({ cpus: 2 });
    const before = await fs.readFile(file, 'utf8');
    const err = await rejection(store.update({ cpus: 64 }));
    expect(err.code).toBe('bad-request');
    expect(err.message).toContain('cpus is 64 but this host has 4 CPUs');
    expect(err.hint).toMatch(/nothing was saved/);
    const err2 = await rejection(store.update({ memoryMiB: 'lots' }));
    expect(err2.message).toContain('memoryMiB must be a number');
    expect(await fs.readFile(file, 'utf8')).toBe(before);
    expect(await fs.readdir(dir)).toEqual(['settings.json']);
  });

  it('writes nothing on a fresh home when the first update is invalid', async () => {
    const store = new SettingsStore(file, host);
    await rejection(store.update({ cpus: 0 }));
    expect(await fs.readdir(dir)).toEqual([]);
  });

  it('refuses a hand-edited file that is broken instead of silently using defaults', async () => {
    await fs.writeFile(file, '{ "cpus": 2, ');
    const err = await rejection(new SettingsStore(file, host).get());
    expect(err.message).toContain('not valid JSON');
    expect(err.hint).toContain(file);
  });
});

describe('writeFileAtomic', () => {
  it('replaces content and leaves no temp file behind', async () => {
    await writeFileAtomic(file, 'a');
    await writeFileAtomic(file, 'b');
    expect(await fs.readFile(file, 'utf8')).toBe('b');
    expect(await fs.readdir(dir)).toEqual(['settings.json']);
  });
});
