import { describe, expect, it } from 'vitest';
import { parseDiskUsage } from './guest-df';

const df = (sizeK: number, usedK: number, availK: number) =>
  `Filesystem           1K-blocks      Used Available Use% Mounted on\n/dev/vda              ${sizeK}  ${usedK}  ${availK}  10% /mnt/data\n`;

describe('data disk usage', () => {
  it('is ok below 90%, nearly full from 90%, full when less than the reserve is left', () => {
    const G = 1024 * 1024;
    expect(parseDiskUsage(df(64 * G, 10 * G, 50 * G))).toMatchObject({ level: 'ok', usedBytes: 10 * G * 1024, sizeBytes: 64 * G * 1024 });
    const nearly = parseDiskUsage(df(64 * G, 59 * G, 2 * G))!;
    expect(nearly.level).toBe('nearly-full');
    expect(nearly.hint).toMatch(/^The data disk is nearly full \(59\.0 of 64\.0 GiB used, 92%\): remove unused/);
    const full = parseDiskUsage(df(8 * G, 7.6 * G, 100 * 1024))!;
    expect(full.level).toBe('full');
    expect(full.hint).toMatch(/^The data disk is full \(7\.6 of 8\.0 GiB used\).*diskGiB/);
  });

  it('is full while the reserve the boot gave back is what is left, and ok again once 1 GiB is free', () => {
    const G = 1024 * 1024;
    const released = '\nberth: reserve released\n';
    expect(parseDiskUsage(df(8 * G, 7.3 * G, 300 * 1024) + released)!.level).toBe('full');
    expect(parseDiskUsage(df(8 * G, 7.3 * G, 300 * 1024))!.level).toBe('nearly-full');
    expect(parseDiskUsage(df(8 * G, 5 * G, 3 * G) + released)!.level).toBe('ok');
  });

  it('refuses what is not df output', () => {
    expect(parseDiskUsage('df: /mnt/data: No such file or directory')).toBeNull();
    expect(parseDiskUsage('')).toBeNull();
  });
});
