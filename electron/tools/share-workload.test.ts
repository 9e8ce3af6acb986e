import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TREE_FILES, makeTreeTarball, parseWorkload, remountScript } from './share-workload';

describe('share workload (bench:shares)', () => {
  it('builds the same tarball of TREE_FILES small files every time', () => {
    const dirs = [fs.mkdtempSync(path.join(os.tmpdir(), 'tree-a-')), fs.mkdtempSync(path.join(os.tmpdir(), 'tree-b-'))];
    try {
      const [a, b] = dirs.map((d) => makeTreeTarball(d));
      const files = execFileSync('tar', ['tvf', a], { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-'));
      expect(files).toHaveLength(TREE_FILES);
      for (const l of files) expect(Number(l.split(/\s+/)[2])).toBeLessThanOrEqual(8100);
      const content = (t: string) => execFileSync('tar', ['xOf', t], { maxBuffer: 64 << 20 });
      expect(content(a).equals(content(b))).toBe(true);
    } finally {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it('reads the guest script\'s figures and refuses output it does not understand', () => {
    expect(parseWorkload('noise\n4.100 2.500 50.000 4.000 40.000 2241\n')).toEqual({
      writeMBps: 4.1, readMBps: 2.5, untarS: 50, findS: 4, catS: 40, smallFilesS: 94, entries: 2241,
    });
    expect(() => parseWorkload('dd: error writing\n')).toThrow('workload printed');
  });

  it('remounts only with a plain cache mode name (it goes into a guest shell)', () => {
    expect(remountScript('/tmp/s', 'readahead')).toContain('cache=readahead');
    expect(() => remountScript('/tmp/s', 'none;reboot')).toThrow('not a 9p cache mode');
  });
});
