import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BerthError } from '../base/errors';
import { findExecutable, firstExecutable } from './find-executable';
import { downloadPluginDebs, extractDebsInto } from './trixie-debs';

/**
 * virtiofsd, the host half of virtiofs shares (the maintained Rust one, 1.x). Optional: without it shares use 9p.
 * Found on PATH or where distributions put it; else `berth doctor --fix` unpacks Debian trixie's package with the
 * trixie libraries it needs (it is built for a newer glibc than bookworm's) into Berth's cache, and it runs through
 * trixie's own loader from there.
 */

/** How to start one: `command ...prefixArgs <virtiofsd options>`. */
export interface VirtiofsdCommand {
  command: string;
  prefixArgs: string[];
  /** The virtiofsd binary itself. */
  path: string;
  version: string;
  /** Found on the system, or unpacked by Berth into its cache. */
  source: 'system' | 'berth';
}

export type VirtiofsdLookup = { ok: true; daemon: VirtiofsdCommand } | { ok: false; reason: string };

/** Where distributions install it outside PATH (Debian/Ubuntu/Fedora: /usr/libexec; older QEMU packages: /usr/lib/qemu). */
export const SYSTEM_VIRTIOFSD_PATHS = ['/usr/libexec/virtiofsd', '/usr/lib/qemu/virtiofsd'];
/** virtiofsd and what its binary links against that bookworm's libraries are too old for. */
export const VIRTIOFSD_DEBS = ['virtiofsd', 'libc6', 'libseccomp2', 'libcap-ng0', 'libgcc-s1'];

export function virtiofsdCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'), 'berth', 'virtiofsd');
}

const TRIPLET = process.arch === 'arm64' ? 'aarch64-linux-gnu' : 'x86_64-linux-gnu';
const LOADER = process.arch === 'arm64' ? 'usr/lib/ld-linux-aarch64.so.1' : 'usr/lib64/ld-linux-x86-64.so.2';

/** The unpacked trixie tree as a command (its loader, its libraries), or null when it is not there. */
function berthCopy(cacheDir: string): Omit<VirtiofsdCommand, 'version'> | null {
  const root = path.join(cacheDir, 'root');
  const loader = path.join(root, LOADER);
  const binary = path.join(root, 'usr', 'libexec', 'virtiofsd');
  if (!fs.existsSync(loader) || !fs.existsSync(binary)) return null;
  const libs = [path.join(root, 'lib', TRIPLET), path.join(root, 'usr', 'lib', TRIPLET)].join(':');
  return { command: loader, prefixArgs: ['--library-path', libs, binary], path: binary, source: 'berth' };
}

/**
 * `virtiofsd --version`: the Rust one prints `virtiofsd 1.13.2`; QEMU's retired C one (still in Debian 12's
 * qemu-system-common at /usr/lib/qemu/virtiofsd) prints `virtiofsd version 7.2...` and takes other options.
 */
function versionOf(c: Omit<VirtiofsdCommand, 'version'>): { version: string } | { reason: string } {
  const r = spawnSync(c.command, [...c.prefixArgs, '--version'], { encoding: 'utf8', timeout: 10_000 });
  const out = `${r.stdout ?? ''}`.trim().split('\n')[0] ?? '';
  const m = /^virtiofsd v?(\d+\.\d+(\.\d+)?)/.exec(out);
  if (r.status === 0 && m) return { version: m[1] };
  if (/^virtiofsd version/.test(out)) return { reason: `${c.path} is QEMU's retired C virtiofsd (${out}), which Berth does not drive` };
  return { reason: `${c.path} --version failed: ${(r.error?.message ?? r.stderr ?? out).toString().trim().split('\n')[0] || `exit ${r.status}`}` };
}

/**
 * The first usable virtiofsd: BERTH_VIRTIOFSD, PATH, the distribution folders, then Berth's own copy. Starts
 * `--version` of each candidate (a few ms). Linux only: on macOS vfkit brings its own virtio-fs.
 */
export function findVirtiofsd(options: { env?: NodeJS.ProcessEnv; cacheDir?: string; systemPaths?: string[] } = {}): VirtiofsdLookup {
  const env = options.env ?? process.env;
  if (process.platform !== 'linux') return { ok: false, reason: 'virtiofsd runs on Linux hosts only' };
  const candidates: Omit<VirtiofsdCommand, 'version'>[] = [];
  const add = (p: string | null) => p && !candidates.some((c) => c.path === p) && candidates.push({ command: p, prefixArgs: [], path: p, source: 'system' });
  if (env.BERTH_VIRTIOFSD) add(firstExecutable([env.BERTH_VIRTIOFSD]));
  add(findExecutable('virtiofsd', env));
  for (const p of options.systemPaths ?? SYSTEM_VIRTIOFSD_PATHS) add(firstExecutable([p]));
  const own = berthCopy(options.cacheDir ?? virtiofsdCacheDir(env));
  if (own) candidates.push(own);
  const rejected: string[] = [];
  for (const c of candidates) {
    const v = versionOf(c);
    if ('version' in v) return { ok: true, daemon: { ...c, version: v.version } };
    rejected.push(v.reason);
  }
  return { ok: false, reason: rejected.length ? `no usable virtiofsd: ${rejected.join('; ')}` : 'no virtiofsd on this host' };
}

/**
 * `berth doctor --fix`: trixie's virtiofsd and its libraries, downloaded with a private apt set-up (no root) and
 * unpacked into the cache. Does nothing when a usable one is found.
 */
export async function installVirtiofsd(
  options: { env?: NodeJS.ProcessEnv; cacheDir?: string; systemPaths?: string[]; log?: (line: string) => void } = {},
): Promise<{ installed: boolean; lookup: VirtiofsdLookup }> {
  const found = findVirtiofsd(options);
  if (found.ok) return { installed: false, lookup: found };
  if (process.platform !== 'linux') return { installed: false, lookup: found };
  const log = options.log ?? ((line: string) => console.error(line));
  const cacheDir = options.cacheDir ?? virtiofsdCacheDir(options.env);
  log(`Installing virtiofsd (faster shared folders) into ${cacheDir}`);
  const debs = await downloadPluginDebs(VIRTIOFSD_DEBS, cacheDir, log, 'virtiofsd');
  await extractDebsInto(
    VIRTIOFSD_DEBS.map((p) => debs[p]),
    path.join(cacheDir, 'root'),
  );
  const after = findVirtiofsd({ ...options, cacheDir });
  if (!after.ok) {
    throw new BerthError(
      'unavailable',
      `virtiofsd was unpacked into ${cacheDir} but does not run: ${after.reason}`,
      `Remove ${cacheDir} and run \`npx berth doctor --fix\` again; shared folders keep working over 9p meanwhile.`,
    );
  }
  log(`  virtiofsd ${after.daemon.version} -> ${after.daemon.path}`);
  return { installed: true, lookup: after };
}
