import type Docker from 'dockerode';
import { BerthError } from '../base/errors';
import type { FileContent, FileEntry, FileListing } from '../contract/model';
import { engineError } from './docker-errors';
import { execOutput } from './exec-session';
import { firstTarEntry, parseLsLine } from './tar';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

/** What comes before a file's bytes in the engine's archive: its header, and a pax header for a long path. */
const TAR_HEADERS_BYTES = 16 * 1024;

/** A directory listing through `ls -la` in the (running) container, folders first. */
export async function listFiles(docker: Docker, id: string, path: string): Promise<FileListing> {
  const out = await execOutput(docker, id, ['ls', '-la', path.endsWith('/') ? path : `${path}/`]);
  if (out.exit !== 0) {
    throw new BerthError(
      'not-found',
      `Cannot list ${path}: ${out.stderr.trim() || `ls exited with ${out.exit}`}`,
      'The container must be running and have `ls`.',
    );
  }
  const entries: FileEntry[] = [];
  for (const line of out.stdout.split('\n')) {
    const e = parseLsLine(line.trimEnd());
    if (e) entries.push(e);
  }
  entries.sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name));
  return { path, entries };
}

/** One file through the engine's archive API, at most maxBytes of it. */
export async function readFile(
  docker: Docker,
  id: string,
  path: string,
  maxBytes: number,
): Promise<FileContent> {
  let tar: Buffer;
  try {
    const stream = (await docker.getContainer(id).getArchive({ path })) as unknown as Destroyable;
    tar = await readLimited(stream, maxBytes + TAR_HEADERS_BYTES);
  } catch (err) {
    throw engineError(err, `Cannot read ${path}`);
  }
  const file = firstTarEntry(tar);
  if (file?.kind === 'directory') {
    throw new BerthError('bad-request', `${path} is a directory`, 'List it (containers.files) and read a file inside it.');
  }
  if (file?.kind !== 'file') {
    throw new BerthError('bad-request', `${path} is not a regular file`, 'Only regular files can be read; a link can be read at its target.');
  }
  const data = file.data.subarray(0, maxBytes);
  return { path, size: file.size, base64: data.toString('base64'), truncated: file.size > data.length };
}

async function readLimited(stream: Destroyable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    stream.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= limit) {
        stream.destroy?.();
        resolve(Buffer.concat(chunks));
      }
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}
