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
