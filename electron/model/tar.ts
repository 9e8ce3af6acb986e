export type TarEntryKind = 'file' | 'directory' | 'link' | 'other';

/** Tar type flags that describe the next entry rather than being one (pax headers, GNU long names). */
const METADATA_TYPES = new Set(['x', 'g', 'L', 'K']);

function entryKind(typeFlag: string): TarEntryKind {
  if (typeFlag === '0' || typeFlag === '\0' || typeFlag === '7') return 'file';
  if (typeFlag === '5') return 'directory';
  if (typeFlag === '1' || typeFlag === '2') return 'link';
  return 'other';
}

/**
 * The first entry of a tar archive: what the engine's archive API returns for one path. For a file that is the
 * file; for a directory it is the directory itself, followed by everything inside it, which must not be
 * mistaken for the file that was asked for.
 */
export function firstTarEntry(tar: Buffer): { name: string; kind: TarEntryKind; size: number; data: Buffer } | null {
  let off = 0;
  let longName: string | null = null;
  while (off + 512 <= tar.length) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) return null;
    const field = (start: number, len: number) => header.subarray(start, start + len).toString('utf8').replace(/\0.*$/s, '');
    const size = parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] || 48);
    const body = off + 512;
    if (!METADATA_TYPES.has(type)) {
      return { name: longName ?? field(0, 100), kind: entryKind(type), size, data: tar.subarray(body, Math.min(tar.length, body + size)) };
    }
    if (type === 'x' || type === 'g') {
      const pax = tar.subarray(body, body + size).toString('utf8');
      const m = /\d+ path=([^\n]*)\n/.exec(pax);
      if (m) longName = m[1];
    } else if (type === 'L') {
      longName = tar.subarray(body, body + size).toString('utf8').replace(/\0.*$/s, '');
    }
    off = body + Math.ceil(size / 512) * 512;
  }
  return null;
}

/** `ls -la` lines (GNU or busybox) as entries; the total line and . / .. are skipped. */
export function parseLsLine(line: string): { name: string; type: 'file' | 'dir' | 'link' | 'other'; size: number; mode: string } | null {
  const m = /^([-dlcbps][-rwxsStT]{9})[.+@]?\s+\d+\s+\S+\s+\S+\s+(\d+)(?:,\s*\d+)?\s+\S+\s+\d+\s+[\d:]+\s+(.+)$/.exec(line);
  if (!m) {
    const dev = /^([cb][-rwxsStT]{9})[.+@]?\s+\d+\s+\S+\s+\S+\s+\d+,\s*\d+\s+\S+\s+\d+\s+[\d:]+\s+(.+)$/.exec(line);
    return dev ? { name: dev[2], type: 'other', size: 0, mode: dev[1] } : null;
  }
  const [, mode, size, rest] = m;
  const type = mode[0] === 'd' ? 'dir' : mode[0] === 'l' ? 'link' : mode[0] === '-' ? 'file' : 'other';
  const name = type === 'link' ? rest.split(' -> ')[0] : rest;
  if (name === '.' || name === '..') return null;
  return { name, type, size: Number(size), mode };
}
