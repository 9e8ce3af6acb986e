import { spawn, spawnSync } from 'node:child_process';
import readline from 'node:readline';
import { BerthError } from '../base/errors';
import { checkHost, describeMissing, installHint, type CheckResult, type HostCheckOptions } from './check';
import { findExecutable } from './find-executable';
import { fixCommand, isRoot, packageFor, packageManagerFor, type ChooseAlternative } from './package-manager';

export interface FixOptions extends HostCheckOptions {
  /** Where progress goes: what is installed, then apt's own lines. */
  log?: (line: string) => void;
}

export interface FixOutcome {
  /** Package names installed (empty when nothing was missing). */
  installed: string[];
  updatedLists: boolean;
  /** The checks after the fix; all ok. */
  results: CheckResult[];
}

// Quiet but not silent: -qq drops apt's chatter, dpkg's "Setting up ..." lines still show the progress. A held
// dpkg lock (another install, unattended-upgrades) is waited for instead of failing at once; a changed config
// file keeps the admin's version instead of prompting (nobody is there to answer).
const APT_FLAGS = [
  '-y',
  '-qq',
  '-o',
  'DPkg::Lock::Timeout=300',
  '-o',
  'Dpkg::Options::=--force-confdef',
  '-o',
  'Dpkg::Options::=--force-confold',
];
// Through `env` because sudo resets the environment. NEEDRESTART_MODE keeps Ubuntu's needrestart from asking.
const APT_GET = ['env', 'DEBIAN_FRONTEND=noninteractive', 'NEEDRESTART_MODE=a', 'apt-get'];

/** How to run apt-get with root rights: directly as root, through password-less sudo, or not at all. */
function privilegePrefix(env: NodeJS.ProcessEnv): string[] | null {
  if (isRoot()) return [];
  if (!findExecutable('sudo', env)) return null;
  return spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', env }).status === 0 ? ['sudo', '-n'] : null;
}

function runStreamed(argv: string[], env: NodeJS.ProcessEnv, log: (line: string) => void): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => line.trim() && log(`  ${line}`));
    }
    child.on('error', (err) => {
      log(`  ${err.message}`);
      resolve(127);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/** The first of several alternative packages that the archive offers (after `apt-get update`). */
function archiveChoice(env: NodeJS.ProcessEnv): ChooseAlternative {
  return (names) =>
    names.find((name) => {
      const out = spawnSync('apt-cache', ['policy', name], { encoding: 'utf8', env }).stdout ?? '';
      return /Candidate: (?!\(none\))/.test(out);
    }) ?? names[0];
}

/**
 * Installs what is missing for these purposes. On Debian/Ubuntu it runs apt-get (as root, or with `sudo -n`);
 * anywhere else, or without the rights, it throws a BerthError whose hint is the one command to run.
 */
export async function fixHost(options: FixOptions): Promise<FixOutcome> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));
  const missing = checkHost(options).filter((r) => !r.ok);
  if (!missing.length) return { installed: [], updatedLists: false, results: checkHost(options) };

  const manager = packageManagerFor(options.platform ?? process.platform, env);
  const prefix = manager === 'apt' ? privilegePrefix(env) : null;
  if (manager !== 'apt' || !prefix) {
    const why =
      manager === 'apt'
        ? 'Installing needs root, and sudo asks for a password'
        : 'Berth installs packages itself only with apt';
    throw new BerthError(
      'unavailable',
      `Missing on this host: ${describeMissing(missing)}. ${why}.`,
      installHint(missing, manager),
    );
  }

  log('Updating the apt package lists…');
  if ((await runStreamed([...prefix, ...APT_GET, 'update', '-qq'], env, log)) !== 0) {
    throw new BerthError(
      'unavailable',
      '`apt-get update` failed (see its output above)',
      'Check the network and /etc/apt/sources.list, then run `npx berth doctor --fix` again.',
    );
  }

  const choose = archiveChoice(env);
  const installed: string[] = [];
  // Two calls at most: packages with their Recommends, and the few that must go without.
  for (const noRecommends of [false, true]) {
    const batch = missing.filter((r) => Boolean(r.prerequisite.noRecommends) === noRecommends);
    const packages = [
      ...new Set(batch.map((r) => packageFor(r.prerequisite, 'apt', choose)).filter((n) => n !== null)),
    ];
    if (!packages.length) continue;
    log(`Installing: ${packages.join(' ')}`);
    const argv = [
      ...prefix,
      ...APT_GET,
      'install',
      ...APT_FLAGS,
      ...(noRecommends ? ['--no-install-recommends'] : []),
      ...packages,
    ];
    if ((await runStreamed(argv, env, log)) !== 0) {
      const command = fixCommand(
        batch.map((r) => r.prerequisite),
        'apt',
        { choose },
      );
      throw new BerthError(
        'unavailable',
        `Installing ${packages.join(' ')} failed (see apt's output above)`,
        `Try it by hand: ${command}`,
      );
    }
    installed.push(...packages);
  }

  const results = checkHost(options);
  const still = results.filter((r) => !r.ok);
  if (still.length) {
    throw new BerthError(
      'unavailable',
      `Still missing after installing: ${describeMissing(still)}`,
      'Their packages installed but the programs are not on PATH: check PATH (e.g. /usr/sbin for non-root users).',
    );
  }
  return { installed, updatedLists: true, results };
}
