import { parseArgs } from 'node:util';
import { BerthError } from '../base/errors';
import { checkHost, installHint, type CheckResult } from './check';
import { installCliPlugins, pluginStatus, type PluginStatus } from './cli-plugins';
import { fixHost } from './fix';
import { fixCommand, packageManagerFor } from './package-manager';
import { defaultPurposes, parsePurposes, type Purpose } from './prerequisites';
import { findVirtiofsd, installVirtiofsd } from './virtiofsd';

const USAGE = `Usage: berth doctor [--fix] [--json] [--quiet] [--for run,image-build,test]

Checks that this host has every program Berth needs and says how to install what is missing.
  --fix     install what is missing (apt-get, as root or with password-less sudo)
  --json    machine-readable output on stdout
  --quiet   print nothing when everything is there and nothing was installed
  --for     which needs to check: run (the VM), image-build (building the guest image), test (the test suites);
            default: run,image-build on Linux, run elsewhere`;

interface DoctorReport {
  ok: boolean;
  platform: NodeJS.Platform;
  arch: string;
  purposes: Purpose[];
  packageManager: string | null;
  checks: Array<Omit<CheckResult, 'prerequisite'>>;
  /** The command that installs what is still missing; null when nothing is. */
  fixCommand: string | null;
  /** What to tell a person about what is missing. */
  hint: string | null;
  installed: string[];
  error?: { message: string; hint?: string };
  /** Docker Compose and Buildx for the host's docker CLI: optional, so never a reason for `ok: false`. */
  cliPlugins: PluginStatus[];
  cliPluginsError?: { message: string; hint?: string };
  /** virtiofsd for fast shared folders: optional (shares use 9p without it), never a reason for `ok: false`. */
  virtiofsd: { ok: true; path: string; version: string; source: 'system' | 'berth' } | { ok: false; reason: string };
  virtiofsdError?: { message: string; hint?: string };
}

function report(
  purposes: Purpose[],
  installed: string[],
  error?: BerthError,
  pluginError?: BerthError,
  virtiofsdError?: BerthError,
): DoctorReport {
  const results = checkHost({ purposes });
  const missing = results.filter((r) => !r.ok);
  const manager = packageManagerFor();
  return {
    ok: missing.length === 0,
    platform: process.platform,
    arch: process.arch,
    purposes,
    packageManager: manager,
    checks: results.map(({ prerequisite: _, ...rest }) => rest),
    fixCommand: missing.length
      ? fixCommand(
          missing.map((r) => r.prerequisite),
          manager,
        )
      : null,
    hint: missing.length ? installHint(missing, manager) : null,
    installed,
    error: error && { message: error.message, hint: error.hint },
    cliPlugins: pluginStatus(),
    cliPluginsError: pluginError && { message: pluginError.message, hint: pluginError.hint },
    virtiofsd: virtiofsdReport(),
    virtiofsdError: virtiofsdError && { message: virtiofsdError.message, hint: virtiofsdError.hint },
  };
}

function virtiofsdReport(): DoctorReport['virtiofsd'] {
  const found = findVirtiofsd();
  if (!found.ok) return found;
  const { path, version, source } = found.daemon;
  return { ok: true, path, version, source };
}

function printHuman(r: DoctorReport): void {
  console.log(`Berth host check (${r.platform} ${r.arch}) for: ${r.purposes.join(', ')}`);
  const idWidth = Math.max(...r.checks.map((c) => c.id.length));
  for (const c of r.checks) {
    const where = c.ok ? c.path : `MISSING${c.package ? ` (package ${c.package})` : ''}`;
    console.log(
      `  ${c.ok ? '✓' : '✗'} ${c.id.padEnd(idWidth)}  ${c.purpose.padEnd(11)}  ${c.usedFor}: ${where}`,
    );
  }
  for (const p of r.cliPlugins) {
    const where = {
      'installed-by-berth': `${p.path} (installed by Berth)`,
      'users-own': `${p.path} (your own, kept)`,
      missing: 'not installed (`berth doctor --fix` installs it)',
    }[p.state];
    console.log(
      `  ${p.state === 'missing' ? '-' : '✓'} ${p.file.padEnd(idWidth)}  ${'plugin'.padEnd(11)}  \`docker ${p.file.slice(7)}\` on this host: ${where}`,
    );
  }
  const v = r.virtiofsd;
  const vWhere = v.ok
    ? `${v.path} (${v.version}${v.source === 'berth' ? ', installed by Berth' : ''})`
    : `not found: shares use 9p; \`berth doctor --fix\` adds virtiofs (${v.reason})`;
  console.log(`  ${v.ok ? '✓' : '-'} ${'virtiofsd'.padEnd(idWidth)}  ${'optional'.padEnd(11)}  fast shared folders (virtiofs): ${vWhere}`);
  for (const e of [r.cliPluginsError, r.virtiofsdError]) {
    if (!e) continue;
    console.log(`berth doctor: ${e.message}`);
    if (e.hint) console.log(`  ${e.hint}`);
  }
  if (r.error) {
    console.log(`berth doctor: ${r.error.message}`);
    if (r.error.hint) console.log(`  ${r.error.hint}`);
  } else if (r.ok) {
    console.log('Everything Berth needs is here.');
  } else {
    console.log(`${r.checks.filter((c) => !c.ok).length} missing. ${r.hint}`);
  }
}

/** `berth doctor`: every host prerequisite with its state; `--fix` installs what is missing. Exit 1 if any is. */
export async function doctorCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      fix: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      for: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const purposes = values.for ? parsePurposes(values.for) : defaultPurposes(process.platform);
  // Progress of an install goes to stderr under --json, so stdout stays one JSON document.
  const log = values.json ? (line: string) => console.error(line) : (line: string) => console.log(line);

  let installed: string[] = [];
  let failure: BerthError | undefined;
  if (values.fix) {
    try {
      installed = (await fixHost({ purposes, log })).installed;
    } catch (err) {
      if (!(err instanceof BerthError)) throw err;
      failure = err;
    }
  }
  // The plugins are for the user's own docker CLI (`docker compose` against Berth's socket): part of `run`.
  let pluginsInstalled: string[] = [];
  let pluginFailure: BerthError | undefined;
  if (values.fix && purposes.includes('run')) {
    try {
      pluginsInstalled = (await installCliPlugins({ log })).installed;
    } catch (err) {
      if (!(err instanceof BerthError)) throw err;
      pluginFailure = err;
    }
  }
  // virtiofsd makes shares faster; without it they use 9p, so a failure here is reported, never fatal.
  let virtiofsdInstalled = false;
  let virtiofsdFailure: BerthError | undefined;
  if (values.fix && purposes.includes('run') && process.platform === 'linux') {
    try {
      virtiofsdInstalled = (await installVirtiofsd({ log })).installed;
    } catch (err) {
      if (!(err instanceof BerthError)) throw err;
      virtiofsdFailure = err;
    }
  }
  const result = report(purposes, installed, failure, pluginFailure, virtiofsdFailure);
  const uneventful =
    result.ok && !failure && !installed.length && !pluginsInstalled.length && !pluginFailure && !virtiofsdInstalled && !virtiofsdFailure;
  if (values.json) console.log(JSON.stringify(result, null, 2));
  else if (!(values.quiet && uneventful)) printHuman(result);
  return result.ok && !failure ? 0 : 1;
}
