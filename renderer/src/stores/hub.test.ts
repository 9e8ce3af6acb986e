import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../../e2e/fixtures/fake-hub/server';
import { startAgent, type RunningAgent } from '../../../electron/agent/agent';
import { berthPaths } from '../../../electron/base/paths';
import { RpcClient } from '../../../electron/protocol/client';
import { connectUnix } from '../../../electron/protocol/unix';
import type { BerthContract } from '../../../electron/contract/contract';
import { createHubStore, type HubStore } from './hub';

// The store against a real agent and the fake Hub, over the same protocol the UI uses: what is measured is
// what Hub is actually asked, and what the store ends up showing.

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let hub: FakeHub;
let agent: RunningAgent;
let client: RpcClient<BerthContract>;
let store: HubStore | undefined;
const savedHubUrl = process.env.BERTH_HUB_URL;

beforeAll(async () => {
  hub = await startFakeHub();
  process.env.BERTH_HUB_URL = hub.url;
  const paths = berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-hubstore-')));
  agent = await startAgent({ paths, logger: quiet });
  client = new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
});

afterEach(async () => {
  store?.getState().dispose();
  await hub.setMode('ok');
});

afterAll(async () => {
  client?.close();
  await agent?.stop();
  await hub?.close();
  if (savedHubUrl === undefined) delete process.env.BERTH_HUB_URL;
  else process.env.BERTH_HUB_URL = savedHubUrl;
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function searchesFor(text: string): number {
  return hub.requests.filter((r) => r.path.includes('search') && new URL(r.path, 'http://x').searchParams.get('query') === text).length;
}

async function settled(s: HubStore): Promise<void> {
  await expect.poll(() => s.getState().search.status, { timeout: 10_000 }).not.toBe('loading');
}

describe('the Hub store', () => {
  it('searches once after typing pauses, not once per keystroke', async () => {
    store = createHubStore({ client: () => client, debounceMs: 300 });
    for (const text of ['b', 'bu', 'bus', 'busy', 'busyb', 'busybo', 'busybox']) {
      store.getState().setQuery(text);
      await sleep(40);
    }
    expect(store.getState().search.status).toBe('loading');
    await settled(store);
    expect(searchesFor('busybox')).toBe(1);
    for (const partial of ['b', 'bu', 'bus', 'busy', 'busyb', 'busybo']) expect(searchesFor(partial)).toBe(0);
    const page = store.getState().search.data!;
    expect(page.query).toBe('busybox');
    expect(page.results.map((r) => r.pullName)).toContain('busybox');
  });

  it('a newer search cancels the one in flight, whose late answer never shows', async () => {
    await hub.setMode('slow', { delayMs: 1500 });
    store = createHubStore({ client: () => client, debounceMs: 50 });
    const shown: string[] = [];
    const unsubscribe = store.subscribe((s) => {
      if (s.search.data && shown.at(-1) !== s.search.data.query) shown.push(s.search.data.query);
    });
    store.getState().setQuery('nginx');
    // Wait until Hub has the request for "nginx" in hand, then change the question.
    await expect.poll(() => searchesFor('nginx'), { timeout: 5000 }).toBe(1);
    store.getState().setQuery('alpine');
    await settled(store);
    await sleep(1800); // longer than the slow answer for "nginx" takes
    unsubscribe();
    expect(shown).toEqual(['alpine']);
    expect(store.getState().search.data!.results.map((r) => r.pullName)).toContain('alpine');
  });

  it('keeps rate limits and offline answers as problems the view can explain', async () => {
    store = createHubStore({ client: () => client, debounceMs: 0, now: () => 1_000_000 });
    await hub.setMode('rate-limit', { retryAfter: '42' });
    store.getState().setFilter('official');
    await settled(store);
    expect(store.getState().search.error).toMatchObject({ code: 'rate-limited', retryAfter: 42, retryAt: 1_000_000 + 42_000 });

    await hub.setMode('offline');
    store.getState().setQuery('something-else');
    await settled(store);
    expect(store.getState().search.error?.code).toBe('offline');

    await hub.setMode('ok');
    store.getState().searchNow();
    await settled(store);
    expect(store.getState().search.error).toBeNull();
  });

  it('opens a repository with its first page of tags, and an empty one without failing', async () => {
    store = createHubStore({ client: () => client, tagsPageSize: 100 });
    store.getState().openRepository('berthtest/many-tags');
    await expect.poll(() => store!.getState().tags.status, { timeout: 10_000 }).toBe('done');
    expect(store.getState().tags.data!.tags).toHaveLength(100);
    expect(store.getState().tags.data!.hasMore).toBe(true);
    store.getState().setTagsPage(3);
    await expect.poll(() => store!.getState().tags.data?.page, { timeout: 10_000 }).toBe(3);
    expect(store.getState().tags.data!.tags).toHaveLength(50);

    store.getState().openRepository('berthtest/empty-tags');
    await expect.poll(() => store!.getState().tags.status, { timeout: 10_000 }).toBe('done');
    expect(store.getState().tags.data!.tags).toEqual([]);
    expect(store.getState().repo.status).toBe('done');
  });

  it('filters tags on Hub, once typing pauses, from the first page', async () => {
    store = createHubStore({ client: () => client, debounceMs: 200 });
    store.getState().openRepository('berthtest/many-tags');
    await expect.poll(() => store!.getState().tags.status, { timeout: 10_000 }).toBe('done');
    store.getState().setTagsPage(2);
    await expect.poll(() => store!.getState().tags.data?.page, { timeout: 10_000 }).toBe(2);
    const before = hub.requests.length;
    for (const text of ['1', '1.0', '1.0.24']) {
      store.getState().setTagFilter(text);
      await sleep(30);
    }
    await expect.poll(() => store!.getState().tags.status, { timeout: 10_000 }).toBe('done');
    const asked = hub.requests.slice(before).filter((r) => r.path.includes('/tags'));
    expect(asked).toHaveLength(1);
    expect(new URL(asked[0].path, 'http://x').searchParams.get('name')).toBe('1.0.24');
    const page = store.getState().tags.data!;
    expect(page.page).toBe(1);
    // 1.0.24 and 1.0.240-249.
    expect(page.tags.map((t) => t.name).sort()).toEqual(['1.0.24', ...Array.from({ length: 10 }, (_, i) => `1.0.24${i}`)].sort());
  });
});
