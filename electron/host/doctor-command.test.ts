import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url));

/** `berth doctor ARGS` as a real process; node is spawned by its full path so PATH can be anything. */
function doctor(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, 'doctor', ...args],
      { env, encoding: 'utf8', timeout: 30_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

// Concurrent: each run is a separate process, mostly waiting on its own startup.
describe.runIf(process.platform === 'linux').concurrent('berth doctor', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-doctor-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('--json with a PATH lacking the emulator and mmdebstrap: valid JSON naming them, exit 1', async () => {
    for (const name of ['qemu-img', 'mksquashfs', 'xz', 'zstd', 'dpkg-deb']) {
      fs.writeFileSync(path.join(tmp, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    }
    const r = await doctor(['--json', '--for', 'run,image-build'], { PATH: tmp, HOME: tmp });
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.ok).toBe(false);
    expect(report.purposes).toEqual(['run', 'image-build']);
    const missing = report.checks.filter((c: { ok: boolean }) => !c.ok).map((c: { id: string }) => c.id);
    expect(missing).toEqual([
      process.arch === 'arm64' ? 'qemu-system-aarch64' : 'qemu-system-x86_64',
      'mmdebstrap',
    ]);
    expect(report.fixCommand).toMatch(/apt-get install -y qemu-system-\S+ mmdebstrap$/);
    // virtiofsd is optional: reported (here none in the empty HOME's cache), never among the missing.
    expect(report.virtiofsd).toHaveProperty('ok');
    if (!report.virtiofsd.ok) expect(report.virtiofsd.reason).toMatch(/virtiofsd/);
  });

  it('prints every check and exits 0 on this machine, where everything is installed', async () => {
    const r = await doctor(['--for', 'run,image-build'], process.env);
    expect(r.stdout).toMatch(/✓ qemu-img +run/);
    expect(r.stdout).toMatch(/[✓-] virtiofsd +optional +fast shared folders \(virtiofs\): /);
    expect(r.stdout).toContain('Everything Berth needs is here.');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});
