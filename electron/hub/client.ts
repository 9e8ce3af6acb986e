import type { z } from 'zod';
import { BerthError } from '../base/errors';
import { parseRepositoryRef, pullName } from './names';
import {
  hubRepositoryParams,
  hubSearchParams,
  hubTagsParams,
  HUB_MAX_PAGE,
  type HubRepository,
  type HubRepositoryParams,
  type HubSearchPage,
  type HubSearchParams,
  type HubSearchResult,
  type HubTag,
  type HubTagsPage,
  type HubTagsParams,
} from '../contract/hub';
import { parseEnvelope, repositoryFromWire, searchResultFromV2, searchResultFromV3, tagFromWire } from './wire';

export const DEFAULT_HUB_URL = 'https://hub.docker.com';

export interface HubClientOptions {
  /** Where Hub's API lives; tests and mirrors point this elsewhere. Default https://hub.docker.com. */
  baseUrl?: string;
  /** Per request, including reading the body. */
  timeoutMs?: number;
  /** How long a successful answer is reused for the same question; 0 turns the cache off. */
  cacheTtlMs?: number;
  cacheEntries?: number;
  userAgent?: string;
}

export interface CallOptions {
  /** The caller's cancel signal (the RPC request's, when a client goes away). */
  signal?: AbortSignal;
}

/** The URL the agent should use: settings first, then BERTH_HUB_URL, then Hub itself. */
export function resolveHubUrl(settingsUrl?: string | null, env: NodeJS.ProcessEnv = process.env): string {
  return settingsUrl || env.BERTH_HUB_URL || DEFAULT_HUB_URL;
}

// A page of 100 tags with every platform is about 300 KB; anything near this limit is not Hub talking.
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** When a 429 carries no usable Retry-After. */
const DEFAULT_RETRY_AFTER_S = 60;

const OFFLINE_HINT = 'Check the network connection (or a proxy) and try again. Everything else in Berth keeps working.';

/** Retry-After is either delta-seconds or an HTTP date; both become whole seconds from now, at least 1. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.max(1, Number(trimmed));
  const at = Date.parse(trimmed);
  if (!Number.isFinite(at)) return undefined;
  return Math.max(1, Math.ceil((at - now) / 1000));
}

function rateLimitDelay(headers: Headers): number {
  const fromRetry = parseRetryAfter(headers.get('retry-after'));
  if (fromRetry !== undefined) return fromRetry;
  // Hub also reports when the window resets, as a Unix time.
  const reset = Number(headers.get('x-ratelimit-reset'));
  if (Number.isFinite(reset) && reset > 0) return Math.max(1, Math.ceil(reset - Date.now() / 1000));
  return DEFAULT_RETRY_AFTER_S;
}

interface CacheEntry {
  expires: number;
  value: unknown;
}

/**
 * Docker Hub's public v2 API (search, repository, tags), answering in Berth's own types. Every failure is a
 * BerthError a client can act on: 'offline' when Hub cannot be reached, 'rate-limited' with retryAfter,
 * 'not-found', 'bad-request' for names that could never exist (checked before any request).
 */
export class HubClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;
  private readonly cacheTtlMs: number;
  private readonly cacheEntries: number;
  private readonly userAgent: string;
  private readonly cache = new Map<string, CacheEntry>();

  constructor(options: HubClientOptions = {}) {
    const base = options.baseUrl ?? DEFAULT_HUB_URL;
    let parsed: URL;
    try {
      parsed = new URL(base);
    } catch {
      throw new BerthError('bad-request', `"${base}" is not a URL`, 'Set the Docker Hub URL in settings to something like https://hub.docker.com.');
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new BerthError('bad-request', `The Docker Hub URL must be http or https, not ${parsed.protocol}`);
    }
    this.baseUrl = parsed.toString().replace(/\/+$/, '');
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.cacheTtlMs = options.cacheTtlMs ?? 30_000;
    this.cacheEntries = options.cacheEntries ?? 200;
    this.userAgent = options.userAgent ?? 'Berth';
  }

  async search(input: HubSearchParams, options: CallOptions = {}): Promise<HubSearchPage> {
    const params = parseParams(hubSearchParams, input);
    const query = params.query.trim();
    if (params.filter === 'verified-publisher') return this.searchCatalog(query, params.page, params.pageSize, options);

    const url = this.url('/v2/search/repositories/', {
      query,
      page: params.page,
      page_size: params.pageSize,
      is_official: params.filter === 'official' ? 'true' : undefined,
    });
    const body = await this.getJson(url, options, { emptyOn404: params.page > 1 });
    const envelope = parseEnvelope(body);
    let results = envelope.items.map(searchResultFromV2).filter((r): r is HubSearchResult => r !== null);
    // Hub has ignored is_official in some periods; the filter is a promise to the user, so it is kept here too.
    if (params.filter === 'official') results = results.filter((r) => r.official);
    return {
      query,
      page: params.page,
      pageSize: params.pageSize,
      total: envelope.total,
      hasMore: envelope.hasNext && params.page < HUB_MAX_PAGE,
      results: results.slice(0, params.pageSize),
    };
  }

  /**
   * Only the catalog search (the one hub.docker.com itself uses) knows which publishers are verified; v2 search
   * has no such field. It pages by offset and rounds pull counts, hence its own path.
   */
  private async searchCatalog(query: string, page: number, pageSize: number, options: CallOptions): Promise<HubSearchPage> {
    const url = this.url('/api/search/v3/catalog/search', {
      query,
      from: (page - 1) * pageSize,
      size: pageSize,
      type: 'image',
      badges: 'verified_publisher',
    });
    const body = await this.getJson(url, options, { emptyOn404: page > 1 });
    const envelope = parseEnvelope(body);
    const results = envelope.items
      .map(searchResultFromV3)
      .filter((r): r is HubSearchResult => r !== null && r.badge === 'verified-publisher');
    return {
      query,
      page,
      pageSize,
      total: envelope.total,
      hasMore: page * pageSize < envelope.total && page < HUB_MAX_PAGE,
      results: results.slice(0, pageSize),
    };
  }

  async repository(input: HubRepositoryParams, options: CallOptions = {}): Promise<HubRepository> {
    const params = parseParams(hubRepositoryParams, input);
    const ref = parseRepositoryRef(params.repository);
    const url = this.url(`/v2/repositories/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}/`, {});
    const body = await this.getJson(url, options, { notFound: `${pullName(ref)} is not on Docker Hub` });
    return repositoryFromWire(ref, body);
  }

  async tags(input: HubTagsParams, options: CallOptions = {}): Promise<HubTagsPage> {
    const params = parseParams(hubTagsParams, input);
    const ref = parseRepositoryRef(params.repository);
    const url = this.url(`/v2/repositories/${encodeURIComponent(ref.namespace)}/${encodeURIComponent(ref.name)}/tags/`, {
      page: params.page,
      page_size: params.pageSize,
      name: params.name?.trim() || undefined,
    });
    const body = await this.getJson(url, options, {
      notFound: `${pullName(ref)} is not on Docker Hub`,
      // Past the last page Hub answers 404 "Invalid page" for a repository that does exist.
      emptyOn404: params.page > 1,
    });
    const envelope = parseEnvelope(body);
    const tags = envelope.items.map(tagFromWire).filter((t): t is HubTag => t !== null);
    return {
      ...ref,
      page: params.page,
      pageSize: params.pageSize,
      total: envelope.total,
      hasMore: envelope.hasNext,
      tags: tags.slice(0, params.pageSize),
    };
  }

  clearCache(): void {
    this.cache.clear();
  }

  private url(path: string, query: Record<string, string | number | undefined>): string {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  private async getJson(
    url: string,
    options: CallOptions,
    how: { notFound?: string; emptyOn404?: boolean },
  ): Promise<unknown> {
    const cached = this.cache.get(url);
    if (cached && cached.expires > Date.now()) return cached.value;
    if (cached) this.cache.delete(url);

    if (options.signal?.aborted) throw cancelled();
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;

    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        signal,
        headers: { accept: 'application/json', 'user-agent': this.userAgent },
        redirect: 'follow',
      });
      text = await readBody(response);
    } catch (err) {
      if (options.signal?.aborted) throw cancelled();
      if (err instanceof BerthError) throw err;
      if (timeout.aborted) {
        throw new BerthError('offline', 'Docker Hub cannot be reached', `No answer within ${Math.round(this.timeoutMs / 1000)} s. ${OFFLINE_HINT}`);
      }
      throw new BerthError('offline', 'Docker Hub cannot be reached', `${networkReason(err)}. ${OFFLINE_HINT}`);
    }

    if (response.status === 429) {
      const seconds = rateLimitDelay(response.headers);
      throw new BerthError('rate-limited', 'Docker Hub is rate-limiting requests', `Try again in ${seconds} s.`, seconds);
    }
    if (response.status === 404) {
      if (how.emptyOn404) return { count: 0, next: null, results: [] };
      throw new BerthError('not-found', how.notFound ?? 'Docker Hub has no such page', 'Check the spelling; official images need no namespace (busybox).');
    }
    if (response.status === 401 || response.status === 403) {
      throw new BerthError('unauthorized', `Docker Hub refused access (${response.status})`, 'The repository may be private; only public repositories can be browsed.');
    }
    if (response.status >= 500) {
      throw new BerthError('unavailable', `Docker Hub failed with ${response.status} ${response.statusText}`.trim(), 'The problem is on Docker Hub\'s side; try again in a minute.');
    }
    if (!response.ok) {
      throw new BerthError('bad-request', `Docker Hub refused the request (${response.status})${hubDetail(text)}`);
    }

    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new BerthError('unavailable', 'Docker Hub sent an answer that is not JSON', 'A proxy or captive portal may be in the way; check the Docker Hub URL in settings.');
    }
    this.remember(url, value);
    return value;
  }

  private remember(url: string, value: unknown): void {
    if (this.cacheTtlMs <= 0) return;
    if (this.cache.size >= this.cacheEntries) {
      // Map keeps insertion order, so the first key is the oldest.
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(url, { expires: Date.now() + this.cacheTtlMs, value });
  }
}

function parseParams<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.message}`).join('; ');
  throw new BerthError('bad-request', `Invalid Docker Hub request: ${details}`);
}

function cancelled(): BerthError {
  return new BerthError('cancelled', 'The Docker Hub request was cancelled');
}

async function readBody(response: Response): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) {
    await response.body?.cancel();
    throw new BerthError('unavailable', 'Docker Hub sent an answer too large to be a Hub response', 'Check the Docker Hub URL in settings.');
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new BerthError('unavailable', 'Docker Hub sent an answer too large to be a Hub response', 'Check the Docker Hub URL in settings.');
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'The connection was refused',
  ECONNRESET: 'The connection was reset',
  ENOTFOUND: 'The name could not be resolved (DNS)',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'The connection timed out',
  ENETUNREACH: 'The network is unreachable',
  EHOSTUNREACH: 'The host is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'The connection timed out',
  UND_ERR_SOCKET: 'The connection dropped',
};

/** fetch hides the reason in err.cause (sometimes nested); dig out the system code for the hint. */
function networkReason(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return NETWORK_REASONS[code] ?? `Network error ${code}`;
    current = (current as { cause?: unknown }).cause;
  }
  return 'The network request failed';
}

/** Hub's error bodies say {"message": ...} or {"detail": ...}; a short excerpt helps more than a bare status. */
function hubDetail(text: string): string {
  try {
    const body = JSON.parse(text) as { message?: unknown; detail?: unknown };
    const detail = typeof body.message === 'string' ? body.message : typeof body.detail === 'string' ? body.detail : '';
    return detail ? `: ${detail.slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
