import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageHash } from './index';
import { recipeFiles } from './recipe';
import { withLock } from './builder/lock';
import { writeCpio } from './builder/cpio';

describe('imageHash', () => {
  it('is stable and differs by arch and variant', () => {
    expect(imageHash()).toBe(imageHash({ arch: 'amd64', variant: 'berth' }));
    expect(imageHash()).toMatch(/^[0-9a-f]{16}$/);
    const all = new Set([
      imageHash({ arch: 'amd64', variant: 'berth' }),
      imageHash({ arch: 'arm64', variant: 'berth' }),
      imageHash({ arch: 'amd64', variant: 'systemd' }),
      imageHash({ arch: 'arm64', variant: 'systemd' }),
    ]);
    expect(all.size).toBe(4);
  });

  it('covers the guest scripts and the builder', () => {
    const rel = recipeFiles().map((f) => path.relative(path.dirname(recipeFiles()[0]), f));
    expect(rel.some((f) => f.endsWith('guest/rootfs/usr/lib/berth/boot'))).toBe(true);
    expect(rel.some((f) => f.endsWith('guest/initramfs/init'))).toBe(true);
    expect(rel.some((f) => f.endsWith('builder/rootfs.ts'))).toBe(true);
    expect(rel.some((f) => f.endsWith('.test.ts'))).toBe(false);
  });
});

describe('withLock', () => {
  it('serialises holders and takes over a lock left by a dead process', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-lock-'));
    const lock = path.join(dir, 'x.lock');
    const order: string[] = [];
    const a = withLock(lock, () => order.push('b waits'), async () => {
      order.push('a in');
      await new Promise((r) => setTimeout(r, 700));
      order.push('a out');
    });
    await new Promise((r) => setTimeout(r, 50));
    const b = withLock(lock, () => order.push('b waits'), async () => { order.push('b in'); });
    await Promise.all([a, b]);
    expect(order).toEqual(['a in', 'b waits', 'a out', 'b in']);

    fs.writeFileSync(lock, '2147483646'); // no such pid
    expect(await withLock(lock, () => { throw new Error('should not wait'); }, async () => 'took over')).toBe('took over');
    expect(fs.existsSync(lock)).toBe(false);
    fs.rmSync(dir, { recursive: true });
  });
});

describe('writeCpio', () => {
  it('writes newc records padded to 4 bytes with a trailer', () => {
    const buf = writeCpio([{ kind: 'file', path: 'init', data: Buffer.from('abc'), mode: 0o755 }]);
    expect(buf.subarray(0, 6).toString()).toBe('070701');
    expect(buf.length % 4).toBe(0);
    expect(buf.includes(Buffer.from('TRAILER!!!'))).toBe(true);
    // mode field: regular file 0755
    expect(buf.subarray(14, 22).toString()).toBe((0o100755).toString(16).padStart(8, '0'));
  });
});
