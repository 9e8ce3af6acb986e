import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BerthError } from '../base/errors';
import { downloadPluginDebs, extractPlugin } from './trixie-debs';

/**
 * Docker Compose v2 and Buildx for the host's docker CLI, the way Docker Desktop ships them: as CLI plugins in
 * the user's plugin folder (~/.docker/cli-plugins, or $DOCKER_CONFIG/cli-plugins). On Linux they come from the
 * same Debian (trixie) packages as the guest's. A plugin the user already has — in that folder or in a system
 * plugin folder the CLI searches — is theirs: it is never overwritten, and Berth says it kept it.
 */

export interface CliPlugin {
  /** The file name the docker CLI looks for; `docker compose` runs `docker-compose`. */
  file: string;
  /** The Debian package that ships it under /usr/libexec/docker/cli-plugins/. */
  debPackage: string;
}

export const CLI_PLUGINS: readonly CliPlugin[] = [
  { file: 'docker-compose', debPackage: 'docker-compose' },
  { file: 'docker-buildx', debPackage: 'docker-buildx' },
];

// Where the docker CLI looks besides the user's folder (cli-plugins/manager's defaultSystemPluginDirs on Linux).
export const SYSTEM_PLUGIN_DIRS = [
  '/usr/local/lib/docker/cli-plugins',
  '/usr/local/libexec/docker/cli-plugins',
  '/usr/lib/docker/cli-plugins',
  '/usr/libexec/docker/cli-plugins',
];

export type PluginState =
  /** In the user's folder, put there by Berth (its marker names this file). */
  | 'installed-by-berth'
  /** The user's own (in their folder without Berth's marker, or in a system folder): kept as it is. */
  | 'users-own'
  /** Nowhere the docker CLI looks: `berth doctor --fix` installs it. */
  | 'missing';

export interface PluginStatus {
  file: string;
  state: PluginState;
  /** Where it is (null when missing). */
  path: string | null;
}

/** The folder the docker CLI reads user plugins from. */
export function userPluginDir(env: NodeJS.ProcessEnv = process.env): string {
  const config = env.DOCKER_CONFIG || path.join(env.HOME || os.homedir(), '.docker');
  return path.join(config, 'cli-plugins');
}

// Berth's record of what it installed, so a later check tells its own copies from the user's. A dot-file in the
// plugin folder: the docker CLI only considers files named docker-*.
const MARKER = '.berth-installed.json';

function readMarker(dir: string): Record<string, string> {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8')) as Record<string, string>;
  } catch {
    return {};
  }
}

function exists(p: string): boolean {
  try {
    fs.statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** What the docker CLI would find for each plugin, and whose it is. Only stats files. */
export function pluginStatus(
  options: { userDir?: string; systemDirs?: string[]; env?: NodeJS.ProcessEnv } = {},
): PluginStatus[] {
  const dir = options.userDir ?? userPluginDir(options.env);
  const marker = readMarker(dir);
  return CLI_PLUGINS.map(({ file }) => {
    const own = path.join(dir, file);
    if (exists(own)) return { file, state: marker[file] ? 'installed-by-berth' : 'users-own', path: own };
    const system = (options.systemDirs ?? SYSTEM_PLUGIN_DIRS).map((d) => path.join(d, file)).find(exists);
    return system ? { file, state: 'users-own', path: system } : { file, state: 'missing', path: null };
  });
}

export interface InstallOptions {
  userDir?: string;
  systemDirs?: string[];
  env?: NodeJS.ProcessEnv;
  /** Where downloaded packages are kept between runs. */
  cacheDir?: string;
  log?: (line: string) => void;
  /** Fetches the packages; tests replace it. Returns the .deb path of each package name. */
  download?: (
    packages: string[],
    cacheDir: string,
    log: (line: string) => void,
  ) => Promise<Record<string, string>>;
}

export interface InstallOutcome {
  installed: string[];
  /** Plugins left as they were because the user has their own. */
  kept: PluginStatus[];
  status: PluginStatus[];
}

export function pluginCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(
    env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), '.cache'),
    'berth',
    'cli-plugins',
  );
}

/**
 * Installs each missing plugin into the user's folder; never touches one that is there. Packages are downloaded
 * once into the cache. Throws a BerthError saying what to do when the host cannot get them.
 */
export async function installCliPlugins(options: InstallOptions = {}): Promise<InstallOutcome> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const dir = options.userDir ?? userPluginDir(env);
  const before = pluginStatus({ ...options, userDir: dir });
  const kept = before.filter((s) => s.state === 'users-own');
  const missing = before.filter((s) => s.state === 'missing');
  if (!missing.length) return { installed: [], kept, status: before };
  // Said only when something else is installed, so a routine `doctor --fix --quiet` stays quiet.
  for (const k of kept) log(`Kept your own ${k.file} (${k.path}); Berth does not replace it.`);

  if (process.platform !== 'linux' && !options.download) {
    throw new BerthError(
      'unavailable',
      `Berth installs ${missing.map((m) => m.file).join(' and ')} itself only on Linux`,
      process.platform === 'darwin'
        ? "Install them with `brew install docker-compose docker-buildx` and follow brew's note about cliPluginsExtraDirs."
        : 'Install Docker Compose and Buildx as docker CLI plugins (see docs.docker.com/compose/install).',
    );
  }
  const cacheDir = options.cacheDir ?? pluginCacheDir(env);
  const packages = CLI_PLUGINS.filter((p) => missing.some((m) => m.file === p.file));
  log(`Installing docker CLI plugins into ${dir}: ${packages.map((p) => p.file).join(', ')}`);
  const debs = await (options.download ?? downloadPluginDebs)(
    packages.map((p) => p.debPackage),
    cacheDir,
    log,
  );
  fs.mkdirSync(dir, { recursive: true });
  const installed: string[] = [];
  for (const plugin of packages) {
    const binary = await extractPlugin(debs[plugin.debPackage], plugin.file, cacheDir);
    if (placeWithoutOverwriting(binary, path.join(dir, plugin.file))) {
      installed.push(plugin.file);
      recordInstalled(dir, plugin.file);
      log(`  ${plugin.file} -> ${path.join(dir, plugin.file)}`);
    } else {
      log(`Kept your own ${plugin.file}: it appeared in ${dir} while Berth was downloading.`);
    }
  }
  const status = pluginStatus({ ...options, userDir: dir });
  return { installed, kept: status.filter((s) => s.state === 'users-own'), status };
}

/** Copies to a temporary name, then links it in place: a link fails if the name exists, so nothing is replaced. */
function placeWithoutOverwriting(source: string, dest: string): boolean {
  const tmp = `${dest}.berth-${process.pid}.tmp`;
  fs.copyFileSync(source, tmp);
  fs.chmodSync(tmp, 0o755);
  try {
    fs.linkSync(tmp, dest);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

function recordInstalled(dir: string, file: string): void {
  const marker = { ...readMarker(dir), [file]: new Date().toISOString() };
  fs.writeFileSync(path.join(dir, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
}
