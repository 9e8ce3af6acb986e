import type Docker from 'dockerode';
import { BerthError } from '../base/errors';
import type { FileContent, FileEntry, FileListing } from '../contract/model';
import { engineError } from './docker-errors';
import { execOutput } from './exec-session';
import { parseLsLine } from './ls-line';
import { firstEntry, listChildren, type TarHead } from './tar';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

/**
 * How much of a folder's archive a listing reads at most. The engine has no "one level" archive: GET /archive of
 * a folder is the whole tree below it, bodies included. Only the headers are kept, but every byte still crosses
 * the SSH connection, so listing /usr of a stopped Debian container reads ~100 MB; past these limits the listing
 * stops and says it is partial.
 */
const LIST_LIMITS = { maxEntries: 20_000, maxBodyBytes: 64 * 1024 * 1024 };

export async function isRunning(docker: Docker, id: string): Promise<boolean> {
  try {
    return (await docker.getContainer(id).inspect()).State.Running === true;
  } catch (err) {
    throw engineError(err, 'Cannot look at the container');
  }
}

export async function archiveStream(docker: Docker, id: string, path: string, what: string): Promise<Destroyable> {
  try {
    return (await docker.getContainer(id).getArchive({ path })) as unknown as Destroyable;
  } catch (err) {
    const e = engineError(err, what);
    if (e.code === 'not-found') throw new BerthError('not-found', `${path} is not there (any more)`, 'Go up a folder; the listing shows what is there now.');
    throw e;
  }
}

/** The header of what is at path (null when nothing is): one archive read, stopped after its first header. */
export async function headOf(docker: Docker, id: string, path: string): Promise<TarHead | null> {
  let stream: Destroyable;
  try {
    stream = (await docker.getContainer(id).getArchive({ path })) as unknown as Destroyable;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return null;
    throw engineError(err, `Cannot look at ${path}`);
  }
  return (await firstEntry(stream, 0))?.head ?? null;
}

function sorted(entries: FileEntry[]): FileEntry[] {
  return entries.sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name));
}

/** `ls -la` in a running container: no file bytes cross the connection. Null when it cannot (no ls, no path). */
async function listWithLs(docker: Docker, id: string, path: string): Promise<FileListing | null> {
  const out = await execOutput(docker, id, ['ls', '-la', path.endsWith('/') ? path : `${path}/`]).catch(() => null);
  if (out?.exit !== 0) return null;
  const entries: FileEntry[] = [];
  for (const line of out.stdout.split('\n')) {
    const e = parseLsLine(line.trimEnd());
    if (e) entries.push(e);
  }
  return { path, entries: sorted(entries), partial: false, stopped: false };
}

/**
 * A folder's entries, folders first. A running container is asked with `ls` (cheap); a stopped one, or one
 * without `ls` (scratch, distroless), through the engine's archive API, which reads the folder's whole tree
 * (see LIST_LIMITS). The archive of "dir/." follows a symlinked folder (/bin -> usr/bin) to its contents.
 */
export async function listFiles(docker: Docker, id: string, path: string): Promise<FileListing> {
  const running = await isRunning(docker, id);
  if (running) {
    const viaLs = await listWithLs(docker, id, path);
    if (viaLs) return viaLs;
  }
  const stream = await archiveStream(docker, id, `${path.replace(/\/+$/, '')}/.`, `Cannot list ${path}`);
  try {
    const { entries, partial } = await listChildren(stream, LIST_LIMITS);
    return { path, entries: sorted(entries), partial, stopped: !running };
  } catch (err) {
    throw new BerthError('engine', `Cannot list ${path}: ${(err as Error).message}`, 'Is it a folder? Go up and open it again.');
  }
}

/** One file through the engine's archive API, at most maxBytes of it (running or stopped). */
export async function readFile(docker: Docker, id: string, path: string, maxBytes: number): Promise<FileContent> {
  const stream = await archiveStream(docker, id, path, `Cannot read ${path}`);
  const file = await firstEntry(stream, maxBytes);
  if (file?.head.type === 'dir') {
    throw new BerthError('bad-request', `${path} is a directory`, 'List it (containers.files) and read a file inside it.');
  }
  if (file?.head.type !== 'file') {
    throw new BerthError('bad-request', `${path} is not a regular file`, 'Only regular files can be read; a link can be read at its target.');
  }
  return { path, size: file.head.size, base64: file.data.toString('base64'), truncated: file.more };
}
