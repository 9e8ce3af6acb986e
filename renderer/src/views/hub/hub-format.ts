import type { HubSearchResult, HubTag } from '../../../../electron/contract/hub';

/** 7400000000 -> "7.4B": Hub's own way of showing pulls and stars. 999,999,999 rounds up to "1B", not "1000M". */
export function formatCount(n: number | null | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return '—';
  if (n < 999.5) return String(Math.round(n));
  const units: [number, string][] = [
    [1e3, 'K'],
    [1e6, 'M'],
    [1e9, 'B'],
  ];
  const shown = (v: number) => (v >= 100 ? Math.round(v) : Number(v.toFixed(1)));
  // The smallest unit whose rounded figure stays under 1000 (the last one takes whatever is left).
  for (const [i, [size, suffix]] of units.entries()) {
    const v = shown(n / size);
    if (v < 1000 || i === units.length - 1) return `${v}${suffix}`;
  }
  return String(n);
}

export function pullsText(r: Pick<HubSearchResult, 'pullCount' | 'pullCountText'>): string {
  return r.pullCount !== null && r.pullCount !== undefined ? formatCount(r.pullCount) : (r.pullCountText ?? '—');
}

/** A Hub date, or a dash: Hub sends nulls and year-1 placeholders for "never". */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const t = Date.parse(iso);
  if (!Number.isFinite(t) || new Date(t).getUTCFullYear() < 2000) return '—';
  return new Date(t).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** `sha256:0123456789ab…` -> `sha256:0123456789ab`, enough to compare by eye. */
export function shortDigest(digest: string | null | undefined): string {
  if (!digest) return '—';
  const [algo, hex] = digest.includes(':') ? digest.split(':', 2) : ['', digest];
  return `${algo ? `${algo}:` : ''}${hex.slice(0, 12)}`;
}

/** A tag's per-platform images; a tag that comes without the list has none, rather than breaking the page. */
export function tagImages(tag: HubTag) {
  return Array.isArray(tag.images) ? tag.images : [];
}

/** The image that a pull on this machine's VM (linux/amd64) would fetch, else the first one. */
export function hostImage(tag: HubTag) {
  const images = tagImages(tag);
  return images.find((i) => i.os === 'linux' && i.architecture === 'amd64') ?? images[0] ?? null;
}
