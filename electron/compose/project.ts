import fs from 'node:fs';
import path from 'node:path';
import { BerthError } from '../base/errors';
import type { ComposeContainer, ComposeProject } from '../contract/compose';
import { notSharedMessage } from '../shares/bind-mounts';
import { isWithin, normalize } from '../shares/shares';
import { composeOutput, type ComposeTarget } from './compose-cli';

/** The names `docker compose` looks for in a project folder, in its order of preference. */
export const COMPOSE_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
];

/**
 * Which compose files Berth runs: an absolute path to an existing file whose folder the VM sees, since compose
 * resolves `./src:/app` bind mounts and build contexts against that folder and dockerd looks for them in the VM.
 * `shares` is what the running VM mounted (null when no VM runs: nothing can be checked then).
 */
export function checkComposeFile(file: string, shares: readonly string[] | null): string {
  if (!path.isAbsolute(file)) {
    throw new BerthError(
      'bad-request',
      `${file} is not an absolute path`,
      'Give the compose file as a full path, e.g. /home/me/app/compose.yaml.',
    );
  }
  const normal = resolveComposeFile(normalize(file));
  if (!shares) {
    throw new BerthError(
      'unavailable',
      'The VM is not running',
      'Start Berth (`berth start`), then open the compose file again.',
    );
  }
  const dir = path.dirname(normal);
  if (!shares.some((s) => isWithin(dir, s))) {
    throw new BerthError(
      'bad-request',
      notSharedMessage(dir, shares),
      'Compose projects must live in a shared folder.',
    );
  }
  return normal;
}

/** A project folder stands for its compose file, as `docker compose` run in that folder would pick it. */
function resolveComposeFile(p: string): string {
  const stat = fs.statSync(p, { throwIfNoEntry: false });
  if (stat?.isFile()) return p;
  if (!stat?.isDirectory()) {
    throw new BerthError(
      'not-found',
      `${p} does not exist`,
      'Give the path of a compose file (compose.yaml) or of its project folder.',
    );
  }
  const found = COMPOSE_FILE_NAMES.map((n) => path.join(p, n)).find(
    (f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile() ?? false,
  );
  if (!found) {
    throw new BerthError(
      'not-found',
      `${p} has no compose file`,
      `Expected one of: ${COMPOSE_FILE_NAMES.join(', ')}.`,
    );
  }
  return found;
}

interface ConfigJson {
  name?: string;
  services?: Record<string, { image?: string }>;
}

interface PsJson {
  Name?: string;
  Service?: string;
  State?: string;
  Status?: string;
}

/** `ps --format json` printed one array before compose 2.21 and one object per line since; both are read. */
export function parsePs(out: string): PsJson[] {
  const text = out.trim();
  if (!text) return [];
  if (text.startsWith('[')) return JSON.parse(text) as PsJson[];
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as PsJson);
}

/** The project as compose sees it: services from the file, containers from the engine. */
export async function readProject(target: ComposeTarget): Promise<ComposeProject> {
  const [configOut, psOut] = await Promise.all([
    composeOutput(target, ['config', '--format', 'json'], 'Reading the compose file'),
    composeOutput(target, ['ps', '--all', '--format', 'json'], 'Listing the containers'),
  ]);
  const config = JSON.parse(configOut) as ConfigJson;
  const byService = new Map<string, ComposeContainer[]>();
  for (const c of parsePs(psOut)) {
    const list = byService.get(c.Service ?? '') ?? [];
    list.push({ name: c.Name ?? '', state: c.State ?? 'unknown', status: c.Status ?? '' });
    byService.set(c.Service ?? '', list);
  }
  return {
    file: target.file,
    name: config.name ?? path.basename(path.dirname(target.file)),
    services: Object.entries(config.services ?? {})
      .map(([name, s]) => ({ name, image: s.image ?? null, containers: byService.get(name) ?? [] }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}
