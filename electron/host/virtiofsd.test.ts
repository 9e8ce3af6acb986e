import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findVirtiofsd } from './virtiofsd';

// Stand-in programs that print what each virtiofsd prints for --version; the real one runs in virtiofsd.test.ts (vm/).
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-find-vfsd-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function program(name: string, versionLine: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, `#!/bin/sh\necho '${versionLine}'\n`, { mode: 0o755 });
  return file;
}

describe.runIf(process.platform === 'linux')('findVirtiofsd', () => {
  const env = { PATH: '/nonexistent', HOME: tmp };
  const noCache = path.join(tmp, 'no-cache');

  it("passes over QEMU's retired C virtiofsd and takes the next, the Rust one", () => {
    const c = program('c-virtiofsd', 'virtiofsd version 7.2.22 (Debian 1:7.2+dfsg-7)');
    const rust = program('rust-virtiofsd', 'virtiofsd 1.13.2');
    const r = findVirtiofsd({ env, cacheDir: noCache, systemPaths: [c, rust] });
    expect(r).toEqual({ ok: true, daemon: { command: rust, prefixArgs: [], path: rust, version: '1.13.2', source: 'system' } });
  });

  it('says why none is usable', () => {
    const c = program('only-c', 'virtiofsd version 7.2.22');
    const r = findVirtiofsd({ env, cacheDir: noCache, systemPaths: [c, path.join(tmp, 'absent')] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain("QEMU's retired C virtiofsd");
    expect(findVirtiofsd({ env, cacheDir: noCache, systemPaths: [] })).toEqual({ ok: false, reason: 'no virtiofsd on this host' });
  });
});
