import { z } from 'zod';

// Berth's own view of Docker Hub. The UI and CLI see only these shapes; Hub's wire format stays inside
// client.ts so a change on Hub's side is absorbed in one place. This file imports nothing from Node, so the
// renderer can use it through the contract.

/** How Hub marks a publisher it vouches for. null: the endpoint that answered does not say. */
export type HubBadge = 'official' | 'verified-publisher' | 'open-source' | 'none';

export interface HubSearchResult {
  namespace: string;
  name: string;
  /** What `docker pull` takes (`busybox`, `bitnami/redis`). */
  pullName: string;
  /** Plain text, possibly empty. Untrusted: render as text. */
  description: string;
  starCount: number;
  /** null when Hub gives only a rounded figure ("1B+"); see pullCountText. */
  pullCount: number | null;
  pullCountText: string | null;
  official: boolean;
  badge: HubBadge | null;
  publisher: string | null;
}

export interface HubSearchPage {
  query: string;
  page: number;
  pageSize: number;
  /** Total matches as Hub counts them (may exceed what Hub lets anyone page through). */
  total: number;
  hasMore: boolean;
  results: HubSearchResult[];
}

export interface HubRepository {
  namespace: string;
  name: string;
  pullName: string;
  official: boolean;
  description: string;
  /**
   * The README as Markdown, exactly as Hub has it. Untrusted: it may contain raw HTML and scripts, so the UI
   * must render it through a sanitizer.
   */
  fullDescription: string;
  starCount: number;
  pullCount: number;
  /** ISO 8601 times, null when Hub leaves them out. */
  lastUpdated: string | null;
  dateRegistered: string | null;
  private: boolean;
  categories: string[];
  webUrl: string;
}

export interface HubTagImage {
  architecture: string;
  os: string;
  variant: string | null;
  osVersion: string | null;
  /** `linux/arm64/v8`, the form `docker pull --platform` takes. */
  platform: string;
  digest: string | null;
  /** Compressed bytes. */
  size: number | null;
  lastPushed: string | null;
}

export interface HubTag {
  name: string;
  /** The tag's manifest (list) digest; null for old v1-era tags. */
  digest: string | null;
  fullSize: number | null;
  lastPushed: string | null;
  lastUpdated: string | null;
  /** One per platform; attestation manifests (unknown/unknown) are left out. */
  images: HubTagImage[];
}

export interface HubTagsPage {
  namespace: string;
  name: string;
  page: number;
  pageSize: number;
  total: number;
  hasMore: boolean;
  tags: HubTag[];
}

/** Hub refuses page sizes above 100. */
export const HUB_MAX_PAGE_SIZE = 100;
/** Hub's search stops paging long before its counts end; past this nothing useful comes back. */
export const HUB_MAX_PAGE = 1000;

const pageNumber = z.number().int().min(1).max(HUB_MAX_PAGE).default(1);
// Out-of-range page sizes are clamped, not refused: asking for 500 rows is a reasonable thing for a UI to do.
const pageSize = z
  .number()
  .int()
  .default(25)
  .transform((n) => Math.min(Math.max(n, 1), HUB_MAX_PAGE_SIZE));
const repositoryName = z.string().min(1).max(600);

/**
 * One part of a Docker Hub repository name (namespace or name): lowercase ASCII letters and digits with single
 * separators. The agent refuses others before asking Hub; the UI says so beside a search result that breaks it.
 */
export const HUB_NAME_PART = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export const hubSearchParams = z.strictObject({
  query: z.string().max(256).default(''),
  page: pageNumber,
  pageSize,
  /** official: Docker Official Images only; verified-publisher: Docker Verified Publishers only. */
  filter: z.enum(['all', 'official', 'verified-publisher']).default('all'),
});
export type HubSearchParams = z.input<typeof hubSearchParams>;

export const hubRepositoryParams = z.strictObject({
  /** `busybox`, `library/busybox` or `namespace/name`. */
  repository: repositoryName,
});
export type HubRepositoryParams = z.input<typeof hubRepositoryParams>;

export const hubTagsParams = z.strictObject({
  repository: repositoryName,
  page: pageNumber,
  pageSize,
  /** Only tags whose name contains this. */
  name: z.string().max(128).optional(),
});
export type HubTagsParams = z.input<typeof hubTagsParams>;
