import { z } from 'zod';
import { hubWebUrl, pullName, type HubRepositoryRef } from './names';
import type { HubBadge, HubRepository, HubSearchResult, HubTag, HubTagImage } from '../contract/hub';

// Docker Hub's JSON as it arrives, parsed so that nothing short of a missing name throws: Hub leaves fields
// null, renames them between API generations and adds new ones all the time. Every field falls back to
// undefined on a wrong type; unknown fields are dropped; a list item without a usable name is skipped rather
// than failing the whole page.

const text = z.string().nullish().catch(undefined);
const count = z
  .union([z.number(), z.string().regex(/^\d+$/).transform(Number)])
  .nullish()
  .catch(undefined);
const flag = z.boolean().nullish().catch(undefined);
const list = z.array(z.unknown()).nullish().catch(undefined);

/** Hub's paging envelope, shared by search, tags and most list endpoints. */
const envelope = z.object({
  count: count,
  next: text,
  results: list,
  // The v3 catalog search says `total` instead of `count`.
  total: count,
});

const v2SearchItem = z.object({
  repo_name: z.string().min(1),
  short_description: text,
  star_count: count,
  pull_count: count,
  repo_owner: text,
  is_official: flag,
});

const v3SearchItem = z.object({
  id: text,
  name: text,
  slug: text,
  short_description: text,
  star_count: count,
  // A rounded string here ("1B+"), unlike v2's exact number.
  pull_count: z.union([z.number(), z.string()]).nullish().catch(undefined),
  badge: text,
  publisher: z.object({ name: text, id: text }).nullish().catch(undefined),
});

const repositoryInfo = z.object({
  namespace: text,
  name: text,
  description: text,
  full_description: text,
  star_count: count,
  pull_count: count,
  last_updated: text,
  date_registered: text,
  is_private: flag,
  categories: z
    .array(z.union([z.object({ name: text, slug: text }), z.string()]).nullable().catch(null))
    .nullish()
    .catch(undefined),
});

const image = z.object({
  architecture: text,
  os: text,
  variant: text,
  os_version: text,
  digest: text,
  size: count,
  last_pushed: text,
});

const tag = z.object({
  name: z.string().min(1),
  digest: text,
  full_size: count,
  last_updated: text,
  tag_last_pushed: text,
  images: list,
});

/** Markdown READMEs on Hub are capped at 25 000 characters; anything far beyond that is not a README. */
const MAX_FULL_DESCRIPTION = 200_000;
const MAX_SHORT_DESCRIPTION = 1_000;

// Control characters (other than line breaks and tabs) only garble a table cell or a terminal.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

function clean(value: string | null | undefined, max: number): string {
  if (!value) return '';
  const stripped = value.replace(CONTROL, '');
  return stripped.length > max ? stripped.slice(0, max) : stripped;
}

function isoTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  // Hub uses 0001-01-01 for "never"; that is not a time anyone wants to see.
  if (!Number.isFinite(ms) || ms <= 0) return null;
  return new Date(ms).toISOString();
}

function nonNegative(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : null;
}

export interface ParsedEnvelope {
  total: number;
  hasNext: boolean;
  items: unknown[];
}

export function parseEnvelope(body: unknown): ParsedEnvelope {
  const parsed = envelope.safeParse(body);
  if (!parsed.success) return { total: 0, hasNext: false, items: [] };
  const items = parsed.data.results ?? [];
  const total = nonNegative(parsed.data.count ?? parsed.data.total) ?? items.length;
  return { total, hasNext: Boolean(parsed.data.next), items };
}

function splitFullName(full: string): HubRepositoryRef | null {
  const parts = full.split('/').filter(Boolean);
  if (parts.length === 1) return { namespace: 'library', name: parts[0] };
  if (parts.length === 2) return { namespace: parts[0], name: parts[1] };
  return null;
}

export function searchResultFromV2(item: unknown): HubSearchResult | null {
  const parsed = v2SearchItem.safeParse(item);
  if (!parsed.success) return null;
  const row = parsed.data;
  const ref = splitFullName(row.repo_name);
  if (!ref) return null;
  const official = row.is_official === true || ref.namespace === 'library';
  const pulls = nonNegative(row.pull_count);
  return {
    ...ref,
    pullName: pullName(ref),
    description: clean(row.short_description, MAX_SHORT_DESCRIPTION),
    starCount: nonNegative(row.star_count) ?? 0,
    pullCount: pulls,
    pullCountText: pulls === null ? null : String(pulls),
    official,
    // v2 search only knows "official"; whether a publisher is verified it does not say.
    badge: official ? 'official' : null,
    publisher: row.repo_owner || (official ? 'Docker Official Images' : ref.namespace),
  };
}

const BADGES: Record<string, HubBadge> = {
  official: 'official',
  verified_publisher: 'verified-publisher',
  open_source: 'open-source',
  none: 'none',
};

export function searchResultFromV3(item: unknown): HubSearchResult | null {
  const parsed = v3SearchItem.safeParse(item);
  if (!parsed.success) return null;
  const row = parsed.data;
  const badge = row.badge ? (BADGES[row.badge] ?? 'none') : 'none';
  const full = row.slug || row.id || row.name;
  if (!full) return null;
  const ref = splitFullName(badge === 'official' ? full.replace(/^library\//, '') : full);
  if (!ref) return null;
  let pullCount: number | null = null;
  let pullCountText: string | null = null;
  if (typeof row.pull_count === 'number') {
    pullCount = nonNegative(row.pull_count);
    pullCountText = pullCount === null ? null : String(pullCount);
  } else if (typeof row.pull_count === 'string' && row.pull_count.length < 32) {
    pullCountText = row.pull_count;
  }
  return {
    ...ref,
    pullName: pullName(ref),
    description: clean(row.short_description, MAX_SHORT_DESCRIPTION),
    starCount: nonNegative(row.star_count) ?? 0,
    pullCount,
    pullCountText,
    official: badge === 'official',
    badge,
    publisher: row.publisher?.name || null,
  };
}

/** `ref` is what was asked for; Hub's echo of the name is not trusted over it. */
export function repositoryFromWire(ref: HubRepositoryRef, body: unknown): HubRepository {
  const parsed = repositoryInfo.safeParse(body);
  const r: Partial<z.output<typeof repositoryInfo>> = parsed.success ? parsed.data : {};
  const categories: string[] = [];
  for (const c of r.categories ?? []) {
    const label = typeof c === 'string' ? c : (c?.name ?? c?.slug);
    if (label) categories.push(clean(label, 100));
  }
  return {
    ...ref,
    pullName: pullName(ref),
    official: ref.namespace === 'library',
    description: clean(r.description, MAX_SHORT_DESCRIPTION),
    fullDescription: clean(r.full_description, MAX_FULL_DESCRIPTION),
    starCount: nonNegative(r.star_count) ?? 0,
    pullCount: nonNegative(r.pull_count) ?? 0,
    lastUpdated: isoTime(r.last_updated),
    dateRegistered: isoTime(r.date_registered),
    private: r.is_private === true,
    categories,
    webUrl: hubWebUrl(ref),
  };
}

function imageFromWire(item: unknown): HubTagImage | null {
  const parsed = image.safeParse(item);
  if (!parsed.success) return null;
  const row = parsed.data;
  const architecture = row.architecture || 'unknown';
  const os = row.os || 'unknown';
  // Build attestations are stored as extra "images" with unknown/unknown; they are not runnable platforms.
  if (architecture === 'unknown' && os === 'unknown') return null;
  const variant = row.variant || null;
  return {
    architecture,
    os,
    variant,
    osVersion: row.os_version || null,
    platform: variant ? `${os}/${architecture}/${variant}` : `${os}/${architecture}`,
    digest: row.digest || null,
    size: nonNegative(row.size),
    lastPushed: isoTime(row.last_pushed),
  };
}

export function tagFromWire(item: unknown): HubTag | null {
  const parsed = tag.safeParse(item);
  if (!parsed.success) return null;
  const row = parsed.data;
  const images: HubTagImage[] = [];
  for (const raw of row.images ?? []) {
    const img = imageFromWire(raw);
    if (img) images.push(img);
  }
  return {
    name: clean(row.name, 128),
    digest: row.digest || null,
    fullSize: nonNegative(row.full_size),
    lastPushed: isoTime(row.tag_last_pushed),
    lastUpdated: isoTime(row.last_updated),
    images,
  };
}
