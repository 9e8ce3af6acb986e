import type { HubSearchResult, HubTag } from '../../../../electron/contract/hub';

/** 7400000000 -> "7.4B": Hub's own way of showing pulls and stars. */
export function formatCount(n: number | null | undefined): string {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return '—';
  const units: [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, suffix] of units) {
    if (n >= size) {
      const v = n / size;
      return `${v >= 100 ? Math.round(v) : Number(v.toFixed(1))}${suffix}`;
    }
  }
  return String(Math.round(n));
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
