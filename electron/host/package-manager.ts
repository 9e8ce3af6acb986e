import { findExecutable, firstExecutable } from './find-executable';
import type { Prerequisite } from './prerequisites';

/** The package managers Berth can name a command for. Only apt is driven automatically (fix.ts). */
export type PackageManager = 'apt' | 'brew' | 'winget';

export function packageManagerFor(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): PackageManager | null {
  // Also at its fixed place: a restricted PATH (a service, a test) does not make a Debian host less Debian.
  if (platform === 'linux')
    return findExecutable('apt-get', env, platform) || firstExecutable(['/usr/bin/apt-get']) ? 'apt' : null;
  if (platform === 'darwin') return 'brew';
  if (platform === 'win32') return 'winget';
  return null;
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}

/** Picks one of several apt alternatives; the default takes the first (fix.ts asks the archive instead). */
export type ChooseAlternative = (names: string[]) => string;
const firstAlternative: ChooseAlternative = (names) => names[0];

/** The package that provides a prerequisite with this manager, or null when it has none there. */
export function packageFor(
  p: Prerequisite,
  manager: PackageManager | null,
  choose = firstAlternative,
): string | null {
  if (manager === 'apt') return p.packages.apt?.length ? choose(p.packages.apt) : null;
  if (manager === 'brew') return p.packages.brew ?? null;
  if (manager === 'winget') return p.packages.winget ?? null;
  return null;
}

export interface FixCommandOptions {
  /** Root runs apt-get directly; everyone else through sudo. */
  asRoot?: boolean;
  choose?: ChooseAlternative;
}

/**
 * The one command that installs what is missing, or null when the manager has none of it. apt's package lists
 * (no package of their own) make it `apt-get update`, which also runs before any install.
 */
export function fixCommand(
  missing: Prerequisite[],
  manager: PackageManager | null,
  options: FixCommandOptions = {},
): string | null {
  const packages = [
    ...new Set(missing.map((p) => packageFor(p, manager, options.choose)).filter((n) => n !== null)),
  ];
  if (manager === 'apt') {
    const sudo = (options.asRoot ?? isRoot()) ? '' : 'sudo ';
    const install = packages.length ? `${sudo}apt-get install -y ${packages.join(' ')}` : '';
    const update = missing.some((p) => p.detect.kind === 'apt-lists') ? `${sudo}apt-get update` : '';
    return [update, install].filter(Boolean).join(' && ') || null;
  }
  if (!packages.length) return null;
  if (manager === 'brew') return `brew install ${packages.join(' ')}`;
  if (manager === 'winget') return packages.map((id) => `winget install -e --id ${id}`).join(' ; ');
  return null;
}
