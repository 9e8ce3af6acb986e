import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('./bin.mjs', import.meta.url));

// A fresh machine: no QEMU, no image-build tools, no cached image. `berth start` must name what is missing and
// how to install it at once, not fail on `spawn ... ENOENT` half-way through.
describe.runIf(process.platform === 'linux')('berth start on a host without QEMU or image tools', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-noprereq-'));
  const env: NodeJS.ProcessEnv = {
    HOME: os.homedir(),
    PATH: path.join(root, 'empty-bin'),
    BERTH_HOME: path.join(root, 'home'),
    XDG_CACHE_HOME: path.join(root, 'cache'),
    DOCKER_CONFIG: path.join(root, 'docker-config'),
  };
  fs.mkdirSync(env.PATH!);
  const berth = (...args: string[]) =>
    spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  afterAll(() => {
    berth('stop');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('fails fast naming the QEMU and mmdebstrap packages and the fix command, leaving nothing half-made', () => {
    const started = Date.now();
    const run = berth('start');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Missing on this host: .*qemu-system-x86_64 \(package qemu-system-x86\)/);
    expect(run.stderr).toMatch(/mmdebstrap \(package mmdebstrap\)/);
    expect(run.stderr).toMatch(/apt-get install -y .*qemu-system-x86.*mmdebstrap|berth doctor --fix/);
    expect(run.stderr).not.toMatch(/ENOENT/);
    expect(Date.now() - started).toBeLessThan(30_000);
    // No data disk, no lock, no image cache or temp dirs.
    expect(fs.existsSync(path.join(env.BERTH_HOME!, 'vm', 'data.qcow2'))).toBe(false);
    expect(fs.existsSync(env.XDG_CACHE_HOME!)).toBe(false);

    const doctor = berth('doctor', '--json', '--for', 'run,image-build');
    expect(doctor.status).toBe(1);
    const missing = (JSON.parse(doctor.stdout) as { checks: { ok: boolean; package?: string }[] }).checks
      .filter((r) => !r.ok)
      .map((r) => r.package);
    expect(missing).toEqual(expect.arrayContaining(['qemu-system-x86', 'mmdebstrap']));
  }, 90_000);
});
