import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import dockerignore from '@balena/dockerignore';
import { pack } from 'tar-fs';
import { BerthError } from '../base/errors';

/**
 * A build's context: the host folder packed as the tar the engine's /build takes, without what .dockerignore
 * excludes (Docker's own pattern rules, through @balena/dockerignore). The folder is on the host and the tar is
 * sent over the API, so any folder the agent can read works; nothing is shared with the VM for a build.
 */
export interface BuildContext {
  /** The Dockerfile's path inside the context, with forward slashes (the engine's `dockerfile` parameter). */
  dockerfile: string;
  /** Relative paths sent to the engine (files, links and empty folders), sorted. */
  entries: string[];
  tar(): Readable;
}

/** Checks the folder and Dockerfile and lists what goes into the context; throws a BerthError on bad input. */
export function prepareBuildContext(folder: string, dockerfile = 'Dockerfile'): BuildContext {
  if (!path.isAbsolute(folder)) {
    throw new BerthError('bad-request', `The build folder must be an absolute path, not "${folder}"`, 'Choose the folder with the picker or type its full path.');
  }
  const dir = path.resolve(folder);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new BerthError('not-found', `The build folder ${dir} does not exist`, 'Check the path, or choose the folder with the picker.');
  }
  if (!stat.isDirectory()) throw new BerthError('bad-request', `${dir} is a file, not a folder`, 'Choose the folder that holds the Dockerfile.');

  const file = path.resolve(dir, dockerfile);
  const rel = path.relative(dir, file);
  if (!rel || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new BerthError('bad-request', `The Dockerfile "${dockerfile}" is outside the build folder ${dir}`, 'Give its path relative to the build folder, e.g. Dockerfile or docker/Dockerfile.prod.');
  }
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) {
    throw new BerthError('not-found', `There is no Dockerfile at ${file}`, 'Check the Dockerfile field (a path relative to the build folder) or the folder.');
  }
  const dockerfileEntry = rel.split(path.sep).join('/');
  const entries = listContext(dir, readIgnore(dir), dockerfileEntry);
  return { dockerfile: dockerfileEntry, entries, tar: () => pack(dir, { entries }) };
}

function readIgnore(dir: string): string[] {
  try {
    return fs.readFileSync(path.join(dir, '.dockerignore'), 'utf8').split(/\r?\n/);
  } catch {
    return [];
  }
}

/** Every path the engine gets: what .dockerignore does not exclude, plus the Dockerfile and .dockerignore (as the docker CLI does). */
export function listContext(dir: string, ignoreLines: string[], dockerfile: string): string[] {
  const ig = dockerignore({ ignorecase: false }).add(ignoreLines);
  // An excluded folder is still walked when an exception ("!pattern") may bring something inside it back.
  const hasExceptions = ignoreLines.some((l) => l.trim().startsWith('!'));
  const keep = new Set([dockerfile, '.dockerignore']);
  const out: string[] = [];
  const walk = (relDir: string): boolean => {
    let kept = false;
    const abs = relDir ? path.join(dir, relDir) : dir;
    for (const d of fs.readdirSync(abs, { withFileTypes: true })) {
      const rel = relDir ? `${relDir}/${d.name}` : d.name;
      const ignored = !keep.has(rel) && ig.ignores(rel);
      if (d.isDirectory()) {
        // ...and so is the one holding the Dockerfile, which is always sent.
        if (ignored && !hasExceptions && !dockerfile.startsWith(`${rel}/`)) continue;
        const before = out.length;
        const inner = walk(rel);
        // An empty folder that is not excluded is sent (COPY of a folder keeps it); its contents name it otherwise.
        if (!inner && !ignored) out.splice(before, 0, rel);
        kept ||= inner || !ignored;
      } else if (!ignored) {
        out.push(rel);
        kept = true;
      }
    }
    return kept;
  };
  walk('');
  return out.sort();
}
