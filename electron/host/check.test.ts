import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../base/errors';
import { checkHost, installHint, requirePrerequisites } from './check';
import { fixCommand } from './package-manager';
import { hostPrerequisites, parsePurposes } from './prerequisites';

/** A PATH of one directory holding these programs (shell scripts that do nothing). */
function fakeBin(dir: string, names: string[]): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of names) fs.writeFileSync(path.join(dir, name), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return dir;
}

function catchError(fn: () => void): BerthError {
  try {
    fn();
  } catch (err) {
    return err as BerthError;
  }
  throw new Error('expected an error');
}

describe.skipIf(process.platform === 'win32')(
  'checkHost with a PATH that lacks the emulator and mmdebstrap',
  () => {
    let tmp: string;
    let env: NodeJS.ProcessEnv;
    const linux = { platform: 'linux' as const, arch: 'x64' };

    beforeAll(() => {
      tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-host-'));
      const bin = fakeBin(path.join(tmp, 'bin'), ['qemu-img', 'mksquashfs', 'xz', 'zstd', 'dpkg-deb']);
      // A file that is not executable does not count.
      fs.writeFileSync(path.join(bin, 'mmdebstrap'), 'not a program', { mode: 0o644 });
      env = { PATH: bin };
    });
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it('names both as missing, with their Debian packages, and finds the rest', () => {
      const results = checkHost({ purposes: ['run', 'image-build'], env, ...linux, packageManager: 'apt' });
      const missing = results.filter((r) => !r.ok);
      expect(missing.map((r) => [r.id, r.package])).toEqual([
        ['qemu-system-x86_64', 'qemu-system-x86'],
        ['mmdebstrap', 'mmdebstrap'],
      ]);
      expect(results.find((r) => r.id === 'qemu-img')).toMatchObject({
        ok: true,
        path: path.join(tmp, 'bin', 'qemu-img'),
      });
      expect(results.every((r) => r.usedFor.length > 0)).toBe(true);
    });

    it('looks for the emulator of the host architecture', () => {
      const results = checkHost({
        purposes: ['run'],
        env,
        platform: 'linux',
        arch: 'arm64',
        packageManager: 'apt',
      });
      expect(results.find((r) => !r.ok)).toMatchObject({
        id: 'qemu-system-aarch64',
        package: 'qemu-system-arm',
      });
    });

    it('names the one command that installs them, per platform', () => {
      const missing = checkHost({ purposes: ['run', 'image-build'], env, ...linux, packageManager: 'apt' })
        .filter((r) => !r.ok)
        .map((r) => r.prerequisite);
      expect(fixCommand(missing, 'apt', { asRoot: false })).toBe(
        'sudo apt-get install -y qemu-system-x86 mmdebstrap',
      );
      expect(fixCommand(missing, 'apt', { asRoot: true })).toBe(
        'apt-get install -y qemu-system-x86 mmdebstrap',
      );
      // mmdebstrap has no Homebrew or winget package: image builds are Linux-only.
      expect(fixCommand(missing, 'brew')).toBe('brew install qemu');
      expect(fixCommand(missing, 'winget')).toBe('winget install -e --id SoftwareFreedomConservancy.QEMU');
    });

    it('suggests `berth doctor --fix` only where it can install (apt)', () => {
      const missing = checkHost({ purposes: ['run'], env, ...linux, packageManager: 'apt' }).filter(
        (r) => !r.ok,
      );
      expect(installHint(missing, 'apt')).toContain('npx berth doctor --fix');
      expect(installHint(missing, 'brew')).toBe('Install them with: brew install qemu');
      expect(installHint(missing, null)).toMatch(/your package manager/);
    });

    // The host's own platform decides the package manager; on Debian/Ubuntu that is apt.
    it.runIf(fs.existsSync('/usr/bin/apt-get'))(
      'requirePrerequisites throws a BerthError naming both, with the install command in its hint',
      () => {
        const err = catchError(() => requirePrerequisites(['run', 'image-build'], env));
        expect(err).toBeInstanceOf(BerthError);
        expect(err).toMatchObject({ code: 'unavailable' });
        expect(err.message).toMatch(
          /^Missing on this host: qemu-system-\S+ \(package qemu-system-\S+\), mmdebstrap \(package mmdebstrap\)$/,
        );
        expect(err.hint).toMatch(/apt-get install -y qemu-system-\S+ mmdebstrap/);
        expect(err.hint).toContain('npx berth doctor --fix');
      },
    );

    it('requirePrerequisites is silent when everything is there', () => {
      const full = fakeBin(path.join(tmp, 'full'), ['qemu-system-x86_64', 'qemu-system-aarch64', 'qemu-img']);
      expect(() => requirePrerequisites(['run'], { PATH: full })).not.toThrow();
    });

    it('finds Chromium at its fixed place or through BERTH_CHROMIUM when it is not on PATH', () => {
      const chromium = path.join(fakeBin(path.join(tmp, 'elsewhere'), ['my-chromium']), 'my-chromium');
      const withOverride = checkHost({
        purposes: ['test'],
        env: { ...env, BERTH_CHROMIUM: chromium },
        ...linux,
      });
      expect(withOverride.find((r) => r.id === 'chromium')).toMatchObject({ ok: true, path: chromium });
    });

    it("counts apt's package lists as a test prerequisite whose fix is apt-get update", () => {
      const lists = path.join(tmp, 'lists');
      fs.mkdirSync(lists);
      const check = () =>
        checkHost({ purposes: ['test'], env, ...linux, aptListsDir: lists }).find(
          (r) => r.id === 'apt-lists',
        )!;
      expect(check().ok).toBe(false);
      expect(fixCommand([check().prerequisite], 'apt', { asRoot: true })).toBe('apt-get update');
      fs.writeFileSync(
        path.join(lists, 'deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages.lz4'),
        '',
      );
      expect(check()).toMatchObject({ ok: true, path: lists });
    });
  },
);

describe('the catalogue', () => {
  it('has image-build tools on Linux only, and unique ids', () => {
    for (const platform of ['linux', 'darwin', 'win32'] as const) {
      const all = hostPrerequisites({ platform, arch: 'x64' });
      expect(new Set(all.map((p) => p.id)).size).toBe(all.length);
      expect(all.some((p) => p.purpose === 'image-build')).toBe(platform === 'linux');
    }
  });

  it('refuses an unknown purpose instead of checking nothing', () => {
    expect(parsePurposes('run, test')).toEqual(['run', 'test']);
    expect(() => parsePurposes('run,imagebuild')).toThrow(/imagebuild/);
  });
});
