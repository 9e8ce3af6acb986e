import path from 'node:path/posix';
import type Docker from 'dockerode';
import { BerthError } from '../base/errors';
import { engineError } from './docker-errors';
import { execOutput } from './exec-session';
import { headOf, isRunning } from './container-files';
import { packTar, type PackEntry } from './tar';

/** The engine extracts an archive into a folder that must exist: PUT /containers/{id}/archive?path=folder. */
async function putInto(docker: Docker, id: string, folder: string, entry: PackEntry, what: string): Promise<void> {
  const tar = await packTar([entry]);
  try {
    await docker.getContainer(id).putArchive(tar, { path: folder });
  } catch (err) {
    const e = engineError(err, what);
    if (e.code === 'not-found') throw new BerthError('not-found', `${what}: the folder ${folder} is not there (any more)`, 'Go up a folder and try again.');
    throw e;
  }
}

function split(target: string): { folder: string; name: string } {
  const clean = path.normalize(target).replace(/\/+$/, '');
  const name = path.basename(clean);
  if (!name || name === '.' || name === '..') throw new BerthError('bad-request', `${target} names no file`, 'Give a path like /app/notes.txt.');
  return { folder: path.dirname(clean), name };
}

/**
 * Writes a file (an upload, or a save from the editor), running or stopped. An existing file keeps its mode and
 * owner (read from its archive header first); a new one is 0644 and root's.
 */
export async function writeFile(docker: Docker, id: string, target: string, data: Buffer): Promise<{ path: string; size: number }> {
  const { folder, name } = split(target);
  const existing = await headOf(docker, id, target);
  if (existing && existing.type === 'dir') {
    throw new BerthError('conflict', `${target} is a folder`, 'Choose another name, or open the folder and upload into it.');
  }
  if (existing && existing.type !== 'file') {
    throw new BerthError('conflict', `${target} is a link or a special file`, 'Write to the file it points to, or delete it first.');
  }
  await putInto(
    docker,
    id,
    folder,
    { name, type: 'file', data, mode: existing?.mode ?? 0o644, uid: existing?.uid, gid: existing?.gid },
    `Cannot write ${target}`,
  );
  return { path: target, size: data.length };
}

/** A new, empty folder (0755, root's), running or stopped; it must not exist yet. */
export async function makeFolder(docker: Docker, id: string, target: string): Promise<null> {
  const { folder, name } = split(target);
  if (await headOf(docker, id, target)) {
    throw new BerthError('conflict', `${target} already exists`, 'Choose another name.');
  }
  await putInto(docker, id, folder, { name, type: 'dir', mode: 0o755 }, `Cannot create ${target}`);
  return null;
}

/**
 * Deletes a file or a folder with everything in it. The archive API can add but not remove, so this is `rm -rf`
 * in the container, which must be running and have rm.
 */
export async function deletePath(docker: Docker, id: string, target: string): Promise<null> {
  if (path.normalize(target).replace(/\/+$/, '') === '') {
    throw new BerthError('bad-request', 'The root folder cannot be deleted', 'Delete the files inside it one by one.');
  }
  if (!(await isRunning(docker, id))) {
    throw new BerthError(
      'conflict',
      `Deleting ${target} needs the container running`,
      'The engine can add files to a stopped container but not remove them: start it, then delete.',
    );
  }
  let out: Awaited<ReturnType<typeof execOutput>>;
  try {
    out = await execOutput(docker, id, ['rm', '-rf', '--', target]);
  } catch (err) {
    throw new BerthError('engine', `Cannot delete ${target}: ${(err as Error).message}`, 'The image may have no `rm` (scratch, distroless).');
  }
  if (out.exit !== 0) {
    throw new BerthError('engine', `Cannot delete ${target}: ${out.stderr.trim() || `rm exited with ${out.exit}`}`);
  }
  return null;
}
