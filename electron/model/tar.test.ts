import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstEntry, listChildren, modeText, packTar } from './tar';

const roomy = { maxEntries: 1000, maxBodyBytes: 1 << 30 };

/** Archives made by the system's tar, in the formats the engine's archive API uses (pax) and GNU's own. */
describe('reading archives', () => {
  let dir: string;
  const archive = (format: 'pax' | 'gnu', name: string) =>
    Readable.from([execFileSync('tar', [`--format=${format}`, '-C', dir, '-cf', '-', name])]);

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-tar-'));
    await fs.mkdir(path.join(dir, 'etc', 'ssl', 'certs'), { recursive: true });
    await fs.writeFile(path.join(dir, 'etc', 'hostname'), 'box\n');
    await fs.writeFile(path.join(dir, 'etc', 'ssl', 'certs', 'deep.pem'), 'x'.repeat(5000));
    await fs.writeFile(path.join(dir, 'etc', 'b'.repeat(150)), 'long name\n');
    await fs.chmod(path.join(dir, 'etc', 'hostname'), 0o640);
    await fs.symlink('hostname', path.join(dir, 'etc', 'link'));
  });
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it.each(['pax', 'gnu'] as const)('%s: the first entry of a file is the file, with its bytes and mode', async (format) => {
    const entry = await firstEntry(archive(format, 'etc/hostname'), 100);
    expect(entry?.head).toMatchObject({ name: 'etc/hostname', type: 'file', size: 4, mode: 0o640 });
    expect(entry?.data.toString()).toBe('box\n');
    expect(entry?.more).toBe(false);
  });

  it('a file longer than asked for is cut, and says so', async () => {
    const entry = await firstEntry(archive('pax', 'etc/ssl/certs/deep.pem'), 100);
    expect(entry?.data.length).toBe(100);
    expect(entry?.more).toBe(true);
  });

  it.each(['pax', 'gnu'] as const)('%s: the first entry of a folder is the folder, not a file inside it', async (format) => {
    expect((await firstEntry(archive(format, 'etc'), 100))?.head).toMatchObject({ name: 'etc/', type: 'dir' });
  });

  it.each(['pax', 'gnu'] as const)('%s: a folder lists its direct children only, long names whole', async (format) => {
    const { entries, partial } = await listChildren(archive(format, 'etc'), roomy);
    expect(partial).toBe(false);
    const byName = Object.fromEntries(entries.map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual(['b'.repeat(150), 'hostname', 'link', 'ssl']);
    expect(byName.hostname).toMatchObject({ type: 'file', size: 4, mode: '-rw-r-----' });
    expect(byName.ssl).toMatchObject({ type: 'dir', size: 0 });
    expect(byName.link).toMatchObject({ type: 'link' });
  });

  it('a folder archived as "dir/." (how the engine follows a linked folder) lists the same children', async () => {
    const { entries } = await listChildren(archive('pax', 'etc/.'), roomy);
    expect(entries.map((e) => e.name).sort()).toEqual(['b'.repeat(150), 'hostname', 'link', 'ssl']);
  });

  it('stops at its limits and says the listing is partial', async () => {
    const { entries, partial } = await listChildren(archive('pax', 'etc'), { maxEntries: 2, maxBodyBytes: 1 << 30 });
    expect(partial).toBe(true);
    expect(entries.length).toBeLessThanOrEqual(2);
  });

  it('an empty archive has no entry', async () => {
    expect(await firstEntry(Readable.from([Buffer.alloc(1024)]), 10)).toBeNull();
  });
});

describe('building archives', () => {
  let dir: string;
  beforeAll(async () => (dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-pack-'))));
  afterAll(() => fs.rm(dir, { recursive: true, force: true }));

  it('the system tar extracts a packed file with its bytes and mode, and a folder', async () => {
    const data = Buffer.from([0, 1, 2, 255, 10, 13]);
    const tar = await packTar([
      { name: 'notes.bin', type: 'file', data, mode: 0o600 },
      { name: 'made', type: 'dir', mode: 0o750 },
    ]);
    execFileSync('tar', ['-C', dir, '-xf', '-'], { input: tar });
    expect(await fs.readFile(path.join(dir, 'notes.bin'))).toEqual(data);
    expect((await fs.stat(path.join(dir, 'notes.bin'))).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.join(dir, 'made'))).isDirectory()).toBe(true);
    expect((await fs.stat(path.join(dir, 'made'))).mode & 0o777).toBe(0o750);
  });

  it('what it packs reads back through the same parser, owner kept', async () => {
    const tar = await packTar([{ name: 'a.txt', type: 'file', data: Buffer.from('hi'), mode: 0o644, uid: 1000, gid: 100 }]);
    const entry = await firstEntry(Readable.from([tar]), 10);
    expect(entry?.head).toMatchObject({ name: 'a.txt', type: 'file', size: 2, uid: 1000, gid: 100, mode: 0o644 });
    expect(entry?.data.toString()).toBe('hi');
  });
});

describe('mode text', () => {
  it('reads like ls -l', () => {
    expect(modeText('dir', 0o755)).toBe('drwxr-xr-x');
    expect(modeText('file', 0o4755)).toBe('-rwsr-xr-x');
    expect(modeText('dir', 0o1777)).toBe('drwxrwxrwt');
    expect(modeText('file', 0o2640)).toBe('-rw-r-S---');
  });
});
