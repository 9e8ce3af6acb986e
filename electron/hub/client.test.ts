import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../e2e/fixtures/fake-hub/server';
import { BerthError } from '../base/errors';
import { HubClient, parseRetryAfter, resolveHubUrl } from './client';

// The client against the fake Hub over real HTTP: the same requests, paging and failure modes as Docker Hub.

let hub: FakeHub;
let client: HubClient;

beforeAll(async () => {
  hub = await startFakeHub();
});
afterAll(async () => {
  await hub.close();
});
afterEach(async () => {
  await hub.setMode('ok', { retryAfter: '30', delayMs: 0 });
  hub.requests.length = 0;
});

function fresh(options: ConstructorParameters<typeof HubClient>[0] = {}): HubClient {
  client = new HubClient({ baseUrl: hub.url, cacheTtlMs: 0, ...options });
  return client;
}

async function berthError(p: Promise<unknown>): Promise<BerthError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(BerthError);
    return err as BerthError;
  }
  throw new Error('expected a BerthError, got success');
}

describe('search', () => {
  it('finds official images, normalized, with the pull name docker takes', async () => {
    const page = await fresh().search({ query: 'busybox' });
    const busybox = page.results.find((r) => r.name === 'busybox');
    expect(busybox).toMatchObject({
      namespace: 'library',
      name: 'busybox',
      pullName: 'busybox',
      official: true,
      badge: 'official',
      description: 'Busybox base image.',
      starCount: 3300,
      pullCount: 7_400_000_000,
    });
    const acme = page.results.find((r) => r.namespace === 'acmecorp');
    expect(acme).toMatchObject({ pullName: 'acmecorp/busybox-tools', official: false });
    expect(hub.requests[0].path).toMatch(/^\/v2\/search\/repositories\/\?query=busybox&page=1&page_size=25$/);
  });

  it('official filter returns only official images and asks Hub for them', async () => {
    const page = await fresh().search({ query: 'busybox', filter: 'official' });
    expect(page.results.map((r) => r.pullName)).toEqual(['busybox']);
    expect(hub.requests[0].path).toContain('is_official=true');
  });

  it('verified-publisher filter uses the catalog search and its badges', async () => {
    const page = await fresh().search({ query: 'busybox', filter: 'verified-publisher' });
    expect(page.results).toHaveLength(1);
    expect(page.results[0]).toMatchObject({
      namespace: 'acmecorp',
      name: 'busybox-tools',
      badge: 'verified-publisher',
      publisher: 'Acme Corp',
      official: false,
      pullCount: null,
      pullCountText: '40K+',
    });
    expect(hub.requests[0].path).toMatch(/^\/api\/search\/v3\/catalog\/search\?.*badges=verified_publisher/);
  });

  it('pages through results and reports when there are more', async () => {
    const c = fresh();
    const first = await c.search({ query: 'demo-app', pageSize: 25 });
    expect(first.total).toBe(60);
    expect(first.results).toHaveLength(25);
    expect(first.hasMore).toBe(true);
    const third = await c.search({ query: 'demo-app', page: 3, pageSize: 25 });
    expect(third.results).toHaveLength(10);
    expect(third.hasMore).toBe(false);
    const names = new Set([...first.results, ...third.results].map((r) => r.pullName));
    expect(names.size).toBe(35);
    // Past the end Hub answers 404 "Invalid page"; that is an empty page, not a missing repository.
    const beyond = await c.search({ query: 'demo-app', page: 9, pageSize: 25 });
    expect(beyond.results).toEqual([]);
    expect(beyond.hasMore).toBe(false);
  });

  it('clamps huge page sizes to what Hub accepts instead of failing', async () => {
    const page = await fresh().search({ query: 'demo-app', pageSize: 5000 });
    expect(page.pageSize).toBe(100);
    expect(page.results).toHaveLength(60);
    expect(hub.requests[0].path).toContain('page_size=100');
  });

  it('ignores unexpected fields and tolerates nulls and wrong types', async () => {
    const page = await fresh().search({ query: 'odd-fields' });
    expect(page.results).toHaveLength(1);
    expect(page.results[0]).toMatchObject({
      pullName: 'berthtest/odd-fields',
      starCount: 0,
      pullCount: null,
      official: false,
    });
    expect(Object.keys(page.results[0])).not.toContain('future_field');
  });

  it('keeps unicode intact', async () => {
    const page = await fresh().search({ query: 'unicode' });
    expect(page.results[0].description).toBe('Ünïcödé démo 🚢 — 日本語 <b>not bold</b>');
  });
});

describe('repository', () => {
  it('returns details and the README for an official image given without namespace', async () => {
    const repo = await fresh().repository({ repository: 'busybox' });
    expect(repo).toMatchObject({
      namespace: 'library',
      name: 'busybox',
      pullName: 'busybox',
      official: true,
      starCount: 3300,
      lastUpdated: '2026-10-01T12:00:00.000Z',
      categories: ['Operating systems'],
      webUrl: 'https://hub.docker.com/_/busybox',
    });
    expect(repo.fullDescription).toContain('# Quick reference');
    expect(hub.requests[0].path).toBe('/v2/repositories/library/busybox/');
  });

  it('turns a missing description into empty strings and null times', async () => {
    const repo = await fresh().repository({ repository: 'berthtest/no-description' });
    expect(repo.description).toBe('');
    expect(repo.fullDescription).toBe('');
    expect(repo.lastUpdated).toBeNull();
  });

  it('passes hostile Markdown through untouched (the UI sanitizes) and keeps unicode', async () => {
    const repo = await fresh().repository({ repository: 'berthtest/unicode-demo' });
    expect(repo.fullDescription).toContain("<script>alert('xss')</script>");
    expect(repo.fullDescription).toContain('日本語のテキスト');
    expect(repo.fullDescription).toContain('👩‍💻');
  });

  it('survives odd data: null counts, year-1 dates, extra fields', async () => {
    const repo = await fresh().repository({ repository: 'berthtest/odd-fields' });
    expect(repo).toMatchObject({ starCount: 0, pullCount: 0, lastUpdated: null, fullDescription: '' });
  });

  it('404 becomes not-found', async () => {
    const err = await berthError(fresh().repository({ repository: 'nobody/nothing-here' }));
    expect(err.code).toBe('not-found');
    expect(err.message).toContain('nobody/nothing-here');
  });

  it.each([
    ['Busybox', /capital/],
    ['library/busybox:latest', /tag or digest/],
    ['busybox@sha256:abc', /tag or digest/],
    ['a/b/c', /at most two parts/],
    ['bad--/name', /not a valid name part/],
    ['-leading', /not a valid name part/],
    ['   ', /empty/],
  ])('rejects %j as bad-request without a request', async (name, why) => {
    const err = await berthError(fresh().repository({ repository: name }));
    expect(err.code).toBe('bad-request');
    expect(err.message).toMatch(why);
    expect(err.hint).toBeTruthy();
    expect(hub.requests).toHaveLength(0);
  });

  it('accepts docker.io/ prefixes', async () => {
    const repo = await fresh().repository({ repository: 'docker.io/acmecorp/nginx-hardened' });
    expect(repo.pullName).toBe('acmecorp/nginx-hardened');
  });
});

describe('tags', () => {
  it('lists tags with per-platform images and hides attestations', async () => {
    const page = await fresh().tags({ repository: 'busybox' });
    expect(page.tags.map((t) => t.name)).toEqual(['latest', '1.37', '1.36', 'musl']);
    const latest = page.tags[0];
    expect(latest.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(latest.fullSize).toBe(2_150_000);
    expect(latest.lastPushed).toBe('2026-10-01T12:00:00.000Z');
    expect(latest.images.map((i) => i.platform)).toEqual(['linux/amd64', 'linux/arm64/v8', 'linux/arm/v7']);
    expect(latest.images[1]).toMatchObject({ architecture: 'arm64', os: 'linux', variant: 'v8', size: 2_150_000 - 1024 });
  });

  it('an empty repository has zero tags, not an error', async () => {
    const page = await fresh().tags({ repository: 'berthtest/empty-tags' });
    expect(page).toMatchObject({ total: 0, hasMore: false, tags: [] });
  });

  it('pages through 250 tags in pages of 100', async () => {
    const c = fresh();
    const seen: string[] = [];
    let page = 1;
    for (;;) {
      const p = await c.tags({ repository: 'berthtest/many-tags', page, pageSize: 100 });
      expect(p.total).toBe(250);
      seen.push(...p.tags.map((t) => t.name));
      if (!p.hasMore) break;
      page++;
    }
    expect(page).toBe(3);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(seen[0]).toBe('1.0.250');
    expect(seen[249]).toBe('1.0.1');
  });

  it('filters tags by name', async () => {
    const page = await fresh().tags({ repository: 'berthtest/many-tags', name: '1.0.25', pageSize: 100 });
    expect(page.tags.map((t) => t.name).sort()).toEqual(['1.0.25', '1.0.250']);
  });

  it('odd tags: missing digest and size, junk images skipped', async () => {
    const page = await fresh().tags({ repository: 'berthtest/odd-fields' });
    expect(page.tags).toHaveLength(1);
    expect(page.tags[0]).toMatchObject({ name: 'weird', digest: null, fullSize: null, lastPushed: null });
    expect(page.tags[0].images).toEqual([
      expect.objectContaining({ architecture: 's390x', platform: 'linux/s390x', digest: null }),
    ]);
  });

  it('tags of a missing repository are not-found', async () => {
    const err = await berthError(fresh().tags({ repository: 'nobody/nothing' }));
    expect(err.code).toBe('not-found');
  });
});

describe('failures', () => {
  it('429 with Retry-After seconds becomes rate-limited with retryAfter', async () => {
    await hub.setMode('rate-limit', { retryAfter: '42' });
    const err = await berthError(fresh().search({ query: 'busybox' }));
    expect(err.code).toBe('rate-limited');
    expect(err.message).toBe('Docker Hub is rate-limiting requests');
    expect(err.retryAfter).toBe(42);
    expect(err.hint).toBe('Try again in 42 s.');
  });

  it('429 with an HTTP-date Retry-After is converted to seconds', async () => {
    const at = new Date(Date.now() + 90_000).toUTCString();
    await hub.setMode('rate-limit', { retryAfter: at });
    const err = await berthError(fresh().repository({ repository: 'busybox' }));
    expect(err.code).toBe('rate-limited');
    expect(err.retryAfter).toBeGreaterThanOrEqual(88);
    expect(err.retryAfter).toBeLessThanOrEqual(91);
  });

  it('a closed port is offline, and recovers when Hub is back', async () => {
    const c = fresh();
    await hub.setMode('offline');
    const err = await berthError(c.search({ query: 'busybox' }));
    expect(err.code).toBe('offline');
    expect(err.message).toBe('Docker Hub cannot be reached');
    // The first attempt may land on a pooled keep-alive socket the outage cut; the next one is refused.
    const again = await berthError(c.search({ query: 'busybox' }));
    expect(again.code).toBe('offline');
    expect(again.hint).toMatch(/refused/);
    await hub.setMode('ok');
    expect((await c.search({ query: 'busybox' })).results.length).toBeGreaterThan(0);
  });

  it('an unresolvable host is offline', async () => {
    const err = await berthError(new HubClient({ baseUrl: 'http://hub.invalid', cacheTtlMs: 0 }).search({ query: 'x' }));
    expect(err.code).toBe('offline');
  });

  it('no answer within the timeout is offline', async () => {
    await hub.setMode('slow', { delayMs: 2_000 });
    const err = await berthError(fresh({ timeoutMs: 200 }).search({ query: 'busybox' }));
    expect(err.code).toBe('offline');
    expect(err.hint).toMatch(/No answer within/);
  });

  it("the caller's cancel signal aborts the request as cancelled", async () => {
    await hub.setMode('slow', { delayMs: 2_000 });
    const abort = new AbortController();
    const pending = fresh().search({ query: 'busybox' }, { signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    const err = await berthError(pending);
    expect(err.code).toBe('cancelled');
  });

  it('5xx is a clear unavailable error', async () => {
    await hub.setMode('error');
    const err = await berthError(fresh().tags({ repository: 'busybox' }));
    expect(err.code).toBe('unavailable');
    expect(err.message).toContain('503');
  });

  it('a body that is not JSON (captive portal) is a clear error', async () => {
    const portal = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>Please log in to the Wi-Fi</html>');
    });
    await new Promise<void>((r) => portal.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
      const err = await berthError(new HubClient({ baseUrl: url, cacheTtlMs: 0 }).search({ query: 'x' }));
      expect(err.code).toBe('unavailable');
      expect(err.message).toMatch(/not JSON/);
    } finally {
      await new Promise((r) => portal.close(r));
    }
  });
});

describe('cache', () => {
  it('answers a repeated question from memory within the TTL', async () => {
    const c = new HubClient({ baseUrl: hub.url, cacheTtlMs: 60_000 });
    await c.repository({ repository: 'busybox' });
    await c.repository({ repository: 'busybox' });
    expect(hub.requests).toHaveLength(1);
    c.clearCache();
    await c.repository({ repository: 'busybox' });
    expect(hub.requests).toHaveLength(2);
  });

  it('does not cache failures', async () => {
    const c = new HubClient({ baseUrl: hub.url, cacheTtlMs: 60_000 });
    await hub.setMode('rate-limit');
    await berthError(c.repository({ repository: 'alpine' }));
    await hub.setMode('ok');
    expect((await c.repository({ repository: 'alpine' })).name).toBe('alpine');
  });
});

describe('helpers', () => {
  it('parseRetryAfter handles seconds, dates and junk', () => {
    const now = Date.parse('2026-11-22T10:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120);
    expect(parseRetryAfter('0', now)).toBe(1);
    expect(parseRetryAfter('Sun, 22 Nov 2026 10:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('resolveHubUrl prefers settings, then BERTH_HUB_URL, then Hub', () => {
    expect(resolveHubUrl('http://a', { BERTH_HUB_URL: 'http://b' })).toBe('http://a');
    expect(resolveHubUrl(undefined, { BERTH_HUB_URL: 'http://b' })).toBe('http://b');
    expect(resolveHubUrl(null, {})).toBe('https://hub.docker.com');
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => new HubClient({ baseUrl: 'file:///etc' })).toThrow(BerthError);
    expect(() => new HubClient({ baseUrl: 'not a url' })).toThrow(BerthError);
  });
});
