import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstTarEntry } from './tar';

/** Archives made by the system's tar, in the formats the engine's archive API uses (pax) and GNU's own. */
describe('the first entry of an archive', () => {
  let dir: string;
  const archive = (format: 'pax' | 'gnu', name: string) => execFileSync('tar', [`--format=${format}`, '-C', dir, '-cf', '-', name]);

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-tar-'));
    await fs.mkdir(path.join(dir, 'etc'));
    await fs.writeFile(path.join(dir, 'etc', 'hostname'), 'box\n');
    await fs.writeFile(path.join(dir, 'a'.repeat(150)), 'long name\n');
    await fs.symlink('etc/hostname', path.join(dir, 'link'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it.each(['pax', 'gnu'] as const)('%s: a file is the file, with its bytes', (format) => {
    const entry = firstTarEntry(archive(format, 'etc/hostname'));
    expect(entry).toMatchObject({ name: 'etc/hostname', kind: 'file', size: 4 });
    expect(entry?.data.toString()).toBe('box\n');
  });

  it.each(['pax', 'gnu'] as const)('%s: a directory is the directory, not the first file inside it', (format) => {
    expect(firstTarEntry(archive(format, 'etc'))).toMatchObject({ name: 'etc/', kind: 'directory' });
  });

  it.each(['pax', 'gnu'] as const)('%s: a long name comes from its extra header', (format) => {
    expect(firstTarEntry(archive(format, 'a'.repeat(150)))).toMatchObject({ name: 'a'.repeat(150), kind: 'file' });
  });

  it('a symbolic link is a link', () => {
    expect(firstTarEntry(archive('pax', 'link'))).toMatchObject({ name: 'link', kind: 'link' });
  });

  it('an empty archive has no entry', () => {
    expect(firstTarEntry(Buffer.alloc(1024))).toBeNull();
  });
});
