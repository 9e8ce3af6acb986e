import fs from 'node:fs';
import { BerthError } from '../base/errors';
import type { HostCheck, HostChecks } from '../contract/host';
import { findExecutable, firstExecutable } from './find-executable';
import { fixCommand, packageFor, packageManagerFor, type PackageManager } from './package-manager';
import { hostPrerequisites, type Prerequisite, type Purpose } from './prerequisites';

export interface HostCheckOptions {
  purposes: Purpose[];
  /** The environment whose PATH is searched (tests pass a restricted one). */
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
  arch?: string;
  /** Where apt keeps its package lists. */
  aptListsDir?: string;
  /** Whose package names to report; detected from the platform when absent. */
  packageManager?: PackageManager | null;
}

export interface CheckResult extends HostCheck {
  purpose: Purpose;
  prerequisite: Prerequisite;
}

export const APT_LISTS_DIR = '/var/lib/apt/lists';

function hasAptLists(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some((name) => name.includes('_Packages'));
  } catch {
    return false;
  }
}

function locate(
  p: Prerequisite,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  aptListsDir: string,
): string | null {
  const d = p.detect;
  if (d.kind === 'apt-lists') return hasAptLists(aptListsDir) ? aptListsDir : null;
  const override = d.envOverride ? env[d.envOverride] : undefined;
  if (override) return firstExecutable([override]);
  let first: string | null = null;
  for (const name of d.names) {
    const found =
      findExecutable(name, env, platform) ?? (name === d.names[0] ? firstExecutable(d.alsoAt ?? []) : null);
    if (!found) return null;
    first ??= found;
  }
  return first;
}

/** Looks for every prerequisite of these purposes. Stats files only: no process is started. */
export function checkHost(options: HostCheckOptions): CheckResult[] {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const manager =
    options.packageManager !== undefined ? options.packageManager : packageManagerFor(platform, env);
  return hostPrerequisites({ platform, arch: options.arch ?? process.arch })
    .filter((p) => options.purposes.includes(p.purpose))
    .map((p) => {
      const found = locate(p, env, platform, options.aptListsDir ?? APT_LISTS_DIR);
      return {
        id: p.id,
        purpose: p.purpose,
        usedFor: p.usedFor,
        ok: found !== null,
        path: found,
        package: packageFor(p, manager),
        prerequisite: p,
      };
    });
}

/** `qemu-img (package qemu-utils)`: what is missing and where it comes from, in one phrase. */
export function describeMissing(results: CheckResult[]): string {
  return results
    .filter((r) => !r.ok)
    .map((r) => (r.package ? `${r.id} (package ${r.package})` : r.id))
    .join(', ');
}

/** What to tell someone to do about missing prerequisites. `berth doctor --fix` only drives apt. */
export function installHint(missing: CheckResult[], manager: PackageManager | null): string {
  const command = fixCommand(
    missing.map((r) => r.prerequisite),
    manager,
  );
  if (!command) return 'Install them with your package manager, then check with `npx berth doctor`.';
  return manager === 'apt'
    ? `Install them with: ${command}  (or run \`npx berth doctor --fix\`)`
    : `Install them with: ${command}`;
}

/**
 * Throws a BerthError naming everything missing for these purposes and the command that installs it, so a
 * user sees that instead of `spawn qemu-system-x86_64 ENOENT`. Cheap: a PATH scan.
 */
export function requirePrerequisites(purposes: Purpose[], env: NodeJS.ProcessEnv = process.env): void {
  const missing = checkHost({ purposes, env }).filter((r) => !r.ok);
  if (!missing.length) return;
  throw new BerthError(
    'unavailable',
    `Missing on this host: ${describeMissing(missing)}`,
    installHint(missing, packageManagerFor(process.platform, env)),
  );
}

/** What the UI's Troubleshoot view shows: the checks for running (and, on Linux, building the image) and the fix. */
export function hostChecks(purposes: Purpose[], env: NodeJS.ProcessEnv = process.env): HostChecks {
  const results = checkHost({ purposes, env });
  const missing = results.filter((r) => !r.ok);
  const manager = packageManagerFor(process.platform, env);
  return {
    checks: results.map(({ prerequisite: _p, ...check }) => check),
    fix: missing.length ? fixCommand(missing.map((r) => r.prerequisite), manager) : null,
  };
}
