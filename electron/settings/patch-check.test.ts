import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { patchProblems } from './patch-check';
import { SettingsStore } from './store';

const host = { cpus: 4, memoryMiB: 8192 };

function store(): SettingsStore {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-patch-'));
  return new SettingsStore(path.join(dir, 'settings.json'), host);
}

describe('checking a settings patch before anything is written', () => {
  it('names every bad field at once', async () => {
    const problems = await patchProblems(store(), { cpus: 9, memoryMiB: 'lots', imageUrl: 'ftp://x' }, async () => null, host);
    expect(problems.map((p) => p.field).sort()).toEqual(['cpus', 'imageUrl', 'memoryMiB']);
    expect(problems.find((p) => p.field === 'cpus')?.message).toBe('is 9 but this host has 4 CPUs');
  });

  it('lets the data disk grow but never shrink', async () => {
    const s = store();
    expect(await patchProblems(s, { diskGiB: 128 }, async () => 64, host)).toEqual([]);
    const [p] = await patchProblems(s, { diskGiB: 32 }, async () => 64, host);
    expect(p.field).toBe('diskGiB');
    expect(p.message).toMatch(/cannot shrink: the data disk is already 64 GiB/);
  });

  it('names each shared folder the VM could not mount, at its place in the list', async () => {
    const ok = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-share-ok-'));
    const problems = await patchProblems(store(), { shares: [ok, '/no/such/folder', path.join(ok, 'inner')] }, async () => null, host);
    expect(problems).toEqual([
      { field: 'shares.1', message: '/no/such/folder does not exist or is not a folder' },
      { field: 'shares.2', message: `${path.join(ok, 'inner')} is already shared through ${ok}` },
    ]);
  });
});
