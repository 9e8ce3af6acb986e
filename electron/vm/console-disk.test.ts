import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConsoleLog, readConsoleTail } from './console-log';
import { ensureDataDisk } from './data-disk';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-con-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('ConsoleLog', () => {
  it('splits chunks into clean lines, keeps a tail, and rotates on size', () => {
    const file = path.join(dir, 'console.log');
    const log = new ConsoleLog(file, 64, 3);
    const lines: string[] = [];
    log.on('line', (l) => lines.push(l));
    log.open();
    log.write('berth-st');
    log.write('age: sshd\r\n\x1b[32mok\x1b[0m\n');
    expect(lines).toEqual(['berth-stage: sshd', 'ok']);
    for (let i = 0; i < 10; i++) log.write(`line number ${i} padding\n`);
    log.close();
    expect(log.lastLines(5)).toEqual(['line number 7 padding', 'line number 8 padding', 'line number 9 padding']);
    expect(fs.statSync(file).size).toBeLessThanOrEqual(64);
    expect(fs.existsSync(`${file}.1`)).toBe(true);
    expect(readConsoleTail(file, 2)).toEqual(['line number 8 padding', 'line number 9 padding']);
    expect(readConsoleTail(file, 4)[0]).toMatch(/^line number \d padding$/);
  });
});

describe('ensureDataDisk', () => {
  it('creates a sparse qcow2 of the requested size, then grows it but never shrinks', async () => {
    const file = path.join(dir, 'data.qcow2');
    expect(await ensureDataDisk(file, 64)).toEqual({ created: true, virtualGiB: 64 });
    expect(fs.statSync(file).size).toBeLessThan(1024 * 1024);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(await ensureDataDisk(file, 80)).toMatchObject({ created: false, grownTo: 80 });
    expect(await ensureDataDisk(file, 16)).toEqual({ created: false, virtualGiB: 80 });
    const info = JSON.parse(execFileSync('qemu-img', ['info', '--output=json', file], { encoding: 'utf8' }));
    expect(info['virtual-size']).toBe(80 * 2 ** 30);
  });
});
