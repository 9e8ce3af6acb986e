import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { BerthError } from '../base/errors';
import { isRoot } from './package-manager';

/**
 * Packages from Debian trixie (the guest's suite) on any apt host, without touching the host's apt set-up: a
 * private sources list, package lists and cache under Berth's cache folder, and `apt-get download` (no root
 * needed). Trixie's Go binaries are static enough to run on bookworm.
 */

const SUITE = 'trixie';
const DEFAULT_MIRROR = 'http://deb.debian.org/debian';
const KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

function debianArch(): string {
  return process.arch === 'arm64' ? 'arm64' : 'amd64';
}

function aptOptions(root: string): string[] {
  const o = {
    'Dir::Etc::SourceList': '/dev/null',
    'Dir::Etc::SourceParts': path.join(root, 'sources.list.d'),
    'Dir::Etc::Preferences': '/dev/null',
    'Dir::Etc::PreferencesParts': path.join(root, 'preferences.d'),
    'Dir::State::Lists': path.join(root, 'lists'),
    'Dir::State::Status': path.join(root, 'status'),
    'Dir::Cache': path.join(root, 'cache'),
    'APT::Architecture': debianArch(),
    'APT::Architectures': debianArch(),
    // Private folders need no lock; as root, apt's _apt sandbox user could not write them.
    'Debug::NoLocking': '1',
    ...(isRoot() ? { 'APT::Sandbox::User': 'root' } : {}),
  };
  return Object.entries(o).flatMap(([k, v]) => ['-o', `${k}=${v}`]);
}

function prepareAptRoot(root: string, mirror: string): void {
  for (const d of ['sources.list.d', 'preferences.d', 'lists/partial', 'cache/archives/partial']) {
    fs.mkdirSync(path.join(root, d), { recursive: true });
  }
  fs.writeFileSync(path.join(root, 'status'), '');
  fs.writeFileSync(
    path.join(root, 'sources.list.d', `${SUITE}.sources`),
    `Types: deb\nURIs: ${mirror}\nSuites: ${SUITE}\nComponents: main\nSigned-By: ${KEYRING}\n`,
  );
}

function aptGet(
  args: string[],
  cwd: string,
  log: (line: string) => void,
): Promise<{ code: number; tail: string[] }> {
  return new Promise((resolve) => {
    const tail: string[] = [];
    const child = spawn('apt-get', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      readline.createInterface({ input: stream }).on('line', (line) => {
        if (!line.trim()) return;
        tail.push(line);
        if (tail.length > 5) tail.shift();
        if (/^(Get|Fetched|E:)/.test(line)) log(`  ${line}`);
      });
    }
    child.on('error', (err) => resolve({ code: 127, tail: [err.message] }));
    child.on('close', (code) => resolve({ code: code ?? 1, tail }));
  });
}

/**
 * Downloads trixie's .deb of each package into cacheDir/debs (once: a package already there is reused) and
 * returns its path by package name.
 */
export async function downloadPluginDebs(
  packages: string[],
  cacheDir: string,
  log: (line: string) => void,
  /** What the packages are, for the error message. */
  what = 'Docker Compose and Buildx',
): Promise<Record<string, string>> {
  const debDir = path.join(cacheDir, 'debs');
  fs.mkdirSync(debDir, { recursive: true });
  const cached = (): Record<string, string> =>
    Object.fromEntries(
      fs
        .readdirSync(debDir)
        .filter((f) => f.endsWith('.deb'))
        .map((f) => [f.split('_')[0], path.join(debDir, f)]),
    );
  const need = packages.filter((p) => !cached()[p]);
  if (need.length) {
    if (!fs.existsSync(KEYRING)) {
      throw new BerthError(
        'unavailable',
        `Debian's archive keyring (${KEYRING}) is missing, so trixie's packages cannot be verified`,
        'Install it (`sudo apt-get install debian-archive-keyring`), then run `npx berth doctor --fix` again.',
      );
    }
    const mirror = process.env.BERTH_DEBIAN_MIRROR || DEFAULT_MIRROR;
    const root = path.join(cacheDir, 'apt');
    prepareAptRoot(root, mirror);
    const options = aptOptions(root);
    log(`  Reading Debian ${SUITE}'s package list from ${mirror}…`);
    const update = await aptGet([...options, '-q', 'update'], debDir, log);
    if (update.code !== 0) throw downloadFailed(what, 'apt-get update', update.tail, mirror);
    const download = await aptGet([...options, '-q', 'download', ...need], debDir, log);
    if (download.code !== 0)
      throw downloadFailed(what, `apt-get download ${need.join(' ')}`, download.tail, mirror);
  }
  const found = cached();
  const absent = packages.filter((p) => !found[p]);
  if (absent.length) throw downloadFailed(what, `apt-get download ${absent.join(' ')}`, ['no .deb appeared'], '');
  return Object.fromEntries(packages.map((p) => [p, found[p]]));
}

function downloadFailed(what: string, step: string, tail: string[], mirror: string): BerthError {
  return new BerthError(
    'unavailable',
    `Could not fetch ${what} from Debian ${SUITE}: \`${step}\` failed: ${tail.join(' / ')}`,
    `Check that this host reaches ${mirror || 'the Debian mirror'} (set BERTH_DEBIAN_MIRROR for another mirror), then run \`npx berth doctor --fix\` again.`,
  );
}

/** Unpacks one package (once) and returns the path of its plugin binary. */
export async function extractPlugin(deb: string, file: string, cacheDir: string): Promise<string> {
  const dest = path.join(cacheDir, 'unpacked', path.basename(deb, '.deb'));
  const binary = path.join(dest, 'usr', 'libexec', 'docker', 'cli-plugins', file);
  if (fs.existsSync(binary)) return binary;
  const partial = `${dest}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  const code = await new Promise<number>((resolve) => {
    const child = spawn('dpkg-deb', ['-x', deb, partial], { stdio: 'ignore' });
    child.on('error', () => resolve(127));
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0 || !fs.existsSync(path.join(partial, 'usr', 'libexec', 'docker', 'cli-plugins', file))) {
    fs.rmSync(partial, { recursive: true, force: true });
    fs.rmSync(deb, { force: true });
    throw new BerthError(
      'unavailable',
      `${path.basename(deb)} did not unpack to a ${file} plugin (dpkg-deb exit ${code}); the download was removed`,
      'Run `npx berth doctor --fix` again to fetch it afresh.',
    );
  }
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(partial, dest);
  return binary;
}

/** Unpacks several packages into one fresh tree (`dpkg-deb -x` each); nothing is left half-made on failure. */
export async function extractDebsInto(debs: string[], dest: string): Promise<void> {
  const partial = `${dest}.partial`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.mkdirSync(partial, { recursive: true });
  for (const deb of debs) {
    const code = await new Promise<number>((resolve) => {
      const child = spawn('dpkg-deb', ['-x', deb, partial], { stdio: 'ignore' });
      child.on('error', () => resolve(127));
      child.on('close', (c) => resolve(c ?? 1));
    });
    if (code !== 0) {
      fs.rmSync(partial, { recursive: true, force: true });
      fs.rmSync(deb, { force: true });
      throw new BerthError(
        'unavailable',
        `${path.basename(deb)} did not unpack (dpkg-deb exit ${code}); the download was removed`,
        'Run `npx berth doctor --fix` again to fetch it afresh.',
      );
    }
  }
  fs.rmSync(dest, { recursive: true, force: true });
  fs.renameSync(partial, dest);
}
