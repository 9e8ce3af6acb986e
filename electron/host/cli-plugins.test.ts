import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { installCliPlugins, pluginStatus } from './cli-plugins';

// The decision logic with a stand-in download that returns real .debs built with dpkg-deb from a tiny tree; the
// real download from Debian is exercised by the compose VM test and `berth doctor --fix`.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-plugins-'));
afterEach(() => {
  for (const f of fs.readdirSync(tmp)) fs.rmSync(path.join(tmp, f), { recursive: true, force: true });
});

function fakeDeb(pkg: string): string {
  const tree = path.join(tmp, 'build', pkg);
  const bin = path.join(tree, 'usr', 'libexec', 'docker', 'cli-plugins');
  fs.mkdirSync(bin, { recursive: true });
  fs.mkdirSync(path.join(tree, 'DEBIAN'));
  fs.writeFileSync(
    path.join(tree, 'DEBIAN', 'control'),
    `Package: ${pkg}\nVersion: 1.0\nArchitecture: all\nMaintainer: test <t@example.org>\nDescription: test\n`,
  );
  fs.writeFileSync(path.join(bin, pkg), `#!/bin/sh\necho ${pkg} from berth\n`, { mode: 0o755 });
  const deb = path.join(tmp, 'build', `${pkg}_1.0_all.deb`);
  const r = spawnSync('dpkg-deb', ['--build', '--root-owner-group', tree, deb], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return deb;
}

function setup() {
  const userDir = path.join(tmp, 'docker', 'cli-plugins');
  const systemDir = path.join(tmp, 'system');
  fs.mkdirSync(systemDir, { recursive: true });
  const downloads: string[][] = [];
  const options = {
    userDir,
    systemDirs: [systemDir],
    cacheDir: path.join(tmp, 'cache'),
    log: () => {},
    download: async (packages: string[]) => {
      downloads.push(packages);
      return Object.fromEntries(packages.map((p) => [p, fakeDeb(p)]));
    },
  };
  return { userDir, systemDir, downloads, options };
}

describe.runIf(process.platform === 'linux')('docker CLI plugins on the host', () => {
  it('installs both into an empty plugin folder, executable, and then reports them as installed by Berth', async () => {
    const { userDir, options, downloads } = setup();
    expect(pluginStatus(options).map((s) => s.state)).toEqual(['missing', 'missing']);
    const out = await installCliPlugins(options);
    expect(out.installed).toEqual(['docker-compose', 'docker-buildx']);
    expect(downloads).toEqual([['docker-compose', 'docker-buildx']]);
    const compose = path.join(userDir, 'docker-compose');
    expect(fs.statSync(compose).mode & 0o111).not.toBe(0);
    expect(fs.readFileSync(compose, 'utf8')).toContain('docker-compose from berth');
    expect(pluginStatus(options).map((s) => s.state)).toEqual(['installed-by-berth', 'installed-by-berth']);
    // A second run has nothing to do and downloads nothing.
    expect((await installCliPlugins(options)).installed).toEqual([]);
    expect(downloads).toHaveLength(1);
  });

  it("keeps the user's own compose byte for byte and installs only the missing buildx", async () => {
    const { userDir, options, downloads } = setup();
    fs.mkdirSync(userDir, { recursive: true });
    fs.writeFileSync(path.join(userDir, 'docker-compose'), 'MINE', { mode: 0o755 });
    const lines: string[] = [];
    const out = await installCliPlugins({ ...options, log: (l) => lines.push(l) });
    expect(out.installed).toEqual(['docker-buildx']);
    expect(downloads).toEqual([['docker-buildx']]);
    expect(fs.readFileSync(path.join(userDir, 'docker-compose'), 'utf8')).toBe('MINE');
    expect(out.kept.map((k) => k.file)).toEqual(['docker-compose']);
    expect(lines.join('\n')).toMatch(/Kept your own docker-compose/);
    expect(pluginStatus(options).map((s) => s.state)).toEqual(['users-own', 'installed-by-berth']);
  });

  it("a plugin in a system folder the docker CLI searches counts as the user's: nothing shadows it", async () => {
    const { userDir, systemDir, options, downloads } = setup();
    for (const f of ['docker-compose', 'docker-buildx']) fs.writeFileSync(path.join(systemDir, f), 'SYSTEM');
    const out = await installCliPlugins(options);
    expect(out.installed).toEqual([]);
    expect(downloads).toEqual([]);
    expect(fs.existsSync(userDir)).toBe(false);
    expect(pluginStatus(options).map((s) => [s.state, s.path])).toEqual([
      ['users-own', path.join(systemDir, 'docker-compose')],
      ['users-own', path.join(systemDir, 'docker-buildx')],
    ]);
  });

  it('a download that fails leaves the folder untouched and says what to do', async () => {
    const { userDir, options } = setup();
    const { BerthError } = await import('../base/errors');
    const failing = {
      ...options,
      download: async () => {
        throw new BerthError('unavailable', 'no mirror', 'Check the network');
      },
    };
    await expect(installCliPlugins(failing)).rejects.toThrow(/no mirror/);
    expect(fs.existsSync(path.join(userDir, 'docker-compose'))).toBe(false);
  });

  it('the folder is $DOCKER_CONFIG/cli-plugins when DOCKER_CONFIG is set, else ~/.docker/cli-plugins', async () => {
    const { userPluginDir } = await import('./cli-plugins');
    expect(userPluginDir({ DOCKER_CONFIG: '/x/cfg', HOME: '/h' })).toBe('/x/cfg/cli-plugins');
    expect(userPluginDir({ HOME: '/h' })).toBe('/h/.docker/cli-plugins');
  });
});
