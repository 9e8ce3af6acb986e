import type { Readable } from 'node:stream';
import tar from 'tar-stream';
import type { FileEntry } from '../contract/model';

/** One entry's header as the engine's archive API writes it (tar-stream has already folded pax/GNU long names in). */
export interface TarHead {
  name: string;
  type: FileEntry['type'];
  size: number;
  /** Permission bits (and setuid/setgid/sticky), without the file type. */
  mode: number;
  uid: number;
  gid: number;
  linkname: string | null;
}

function kind(type: tar.Headers['type']): FileEntry['type'] {
  if (type === 'file' || type === 'contiguous-file' || type === 'link' || !type) return 'file';
  if (type === 'directory') return 'dir';
  if (type === 'symlink') return 'link';
  return 'other';
}

function head(h: tar.Headers): TarHead {
  return {
    name: h.name,
    type: kind(h.type),
    size: h.size ?? 0,
    mode: (h.mode ?? 0) & 0o7777,
    uid: h.uid ?? 0,
    gid: h.gid ?? 0,
    linkname: h.linkname ?? null,
  };
}

/** `ls -l` style mode text ("drwxr-xr-x"), so listings read the same whichever way they were made. */
export function modeText(type: FileEntry['type'], mode: number): string {
  const t = type === 'dir' ? 'd' : type === 'link' ? 'l' : type === 'file' ? '-' : '?';
  const rwx = (bits: number, special: boolean, s: string) =>
    (bits & 4 ? 'r' : '-') + (bits & 2 ? 'w' : '-') + (bits & 1 ? (special ? s : 'x') : special ? s.toUpperCase() : '-');
  return t + rwx(mode >> 6, (mode & 0o4000) !== 0, 's') + rwx(mode >> 3, (mode & 0o2000) !== 0, 's') + rwx(mode, (mode & 0o1000) !== 0, 't');
}

type Visit = (h: TarHead, body: Readable) => Promise<'next' | 'stop'>;

/**
 * Reads a tar stream entry by entry. A visit that answers 'stop' ends the read there and destroys the source,
 * so the engine stops sending the rest (an archive of a big folder is the whole folder).
 */
export function walkTar(source: NodeJS.ReadableStream & { destroy?: () => void }, visit: Visit): Promise<void> {
  const extract = tar.extract();
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (err?: unknown) => {
      if (done) return;
      done = true;
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve();
    };
    const stop = () => {
      source.unpipe?.(extract);
      source.destroy?.();
      extract.destroy();
      finish();
    };
    extract.on('entry', (h: tar.Headers, body: Readable, next: () => void) => {
      visit(head(h), body).then(
        (answer) => {
          if (answer === 'stop') return stop();
          // A visit may have read the body to its end already; otherwise pass over what is left of it.
          if (body.readableEnded) return next();
          body.on('end', () => next());
          body.resume();
        },
        (err: unknown) => {
          stop();
          finish(err);
        },
      );
    });
    extract.on('finish', () => finish());
    extract.on('error', (err) => finish(err));
    source.on('error', (err) => finish(err));
    source.pipe(extract);
  });
}

/** Up to maxBytes of an entry's body; `more` says the entry goes on past them. */
export function readBody(body: Readable, maxBytes: number): Promise<{ data: Buffer; more: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    const onData = (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size > maxBytes) {
        body.off('data', onData);
        body.pause();
        resolve({ data: Buffer.concat(chunks).subarray(0, maxBytes), more: true });
      }
    };
    body.on('data', onData);
    body.on('end', () => resolve({ data: Buffer.concat(chunks), more: false }));
    body.on('error', reject);
  });
}

/** The first entry of an archive (the path that was asked for) and up to maxBytes of its body; null if empty. */
export async function firstEntry(
  source: NodeJS.ReadableStream & { destroy?: () => void },
  maxBytes: number,
): Promise<{ head: TarHead; data: Buffer; more: boolean } | null> {
  let found: { head: TarHead; data: Buffer; more: boolean } | null = null;
  await walkTar(source, async (h, body) => {
    found = h.type === 'file' && maxBytes > 0 ? { head: h, ...(await readBody(body, maxBytes)) } : { head: h, data: Buffer.alloc(0), more: h.size > 0 };
    return 'stop';
  });
  return found;
}

/** Limits on reading a folder's archive for its listing (see listChildren). */
export interface ListLimits {
  /** Entries read (at any depth) before the listing is given up as partial. */
  maxEntries: number;
  /** Bytes of file bodies passed over before the listing is given up as partial. */
  maxBodyBytes: number;
}

/**
 * The direct children of the folder an archive holds. The archive is the whole tree, depth first: the first entry
 * is the folder itself ("etc/"), then "etc/hosts", "etc/ssl/", "etc/ssl/certs/..." and so on. Only headers are
 * kept; bodies are passed over without being buffered, but they still cross the connection, so a folder with
 * much below it costs a full read of it. The limits end the read early; the listing then says it is partial.
 */
export async function listChildren(
  source: NodeJS.ReadableStream & { destroy?: () => void },
  limits: ListLimits,
): Promise<{ entries: FileEntry[]; partial: boolean }> {
  const entries: FileEntry[] = [];
  let root: string | null = null;
  let seen = 0;
  let bodyBytes = 0;
  let partial = false;
  await walkTar(source, async (h) => {
    const name = h.name.replace(/\/+$/, '');
    if (root === null) {
      root = name;
      return 'next';
    }
    const rel = name.startsWith(`${root}/`) ? name.slice(root.length + 1) : root === '.' || root === '' ? name.replace(/^\.\//, '') : null;
    if (rel && !rel.includes('/')) entries.push({ name: rel, type: h.type, size: h.type === 'file' ? h.size : 0, mode: modeText(h.type, h.mode) });
    seen += 1;
    bodyBytes += h.size;
    if (seen >= limits.maxEntries || bodyBytes >= limits.maxBodyBytes) {
      partial = true;
      return 'stop';
    }
    return 'next';
  });
  return { entries, partial };
}

/** An entry to pack: a file with its bytes, or a folder. */
export type PackEntry =
  | { name: string; type: 'file'; data: Buffer; mode: number; uid?: number; gid?: number }
  | { name: string; type: 'dir'; mode: number; uid?: number; gid?: number };

/** A tar archive in memory, as the engine's PUT /archive takes it (extracted into the target folder). */
export function packTar(items: PackEntry[]): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (c: Buffer) => chunks.push(c));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  const mtime = new Date();
  for (const item of items) {
    const common = { name: item.name, mode: item.mode, uid: item.uid ?? 0, gid: item.gid ?? 0, mtime };
    if (item.type === 'file') pack.entry({ ...common, type: 'file', size: item.data.length }, item.data);
    else pack.entry({ ...common, type: 'directory' });
  }
  pack.finalize();
  return done;
}
