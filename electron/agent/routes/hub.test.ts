import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../../e2e/fixtures/fake-hub/server';
import { startAgent, type RunningAgent } from '../agent';
import { berthPaths, type BerthPaths } from '../../base/paths';
import { RpcClient } from '../../protocol/client';
import { connectUnix } from '../../protocol/unix';
import type { BerthContract } from '../../contract/contract';

// Through the whole stack: a real agent, its unix socket and the protocol, talking to the fake Hub.

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
let hub: FakeHub;
let agent: RunningAgent;
let paths: BerthPaths;
let client: RpcClient<BerthContract>;
const savedHubUrl = process.env.BERTH_HUB_URL;

beforeAll(async () => {
  hub = await startFakeHub();
  process.env.BERTH_HUB_URL = hub.url;
  paths = berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-hub-')));
  agent = await startAgent({ paths, logger: quiet });
  client = new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
});

afterAll(async () => {
  client?.close();
  await agent?.stop();
  await hub?.close();
  if (savedHubUrl === undefined) delete process.env.BERTH_HUB_URL;
  else process.env.BERTH_HUB_URL = savedHubUrl;
});

async function callError(p: Promise<unknown>): Promise<{ code: string; message: string; hint?: string; retryAfter?: number }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string; hint?: string; retryAfter?: number };
  }
  throw new Error('expected the call to fail');
}

describe('hub.* over the protocol', () => {
  it('searches, shows a repository and pages its tags', async () => {
    const page = await client.call('hub.search', { query: 'busybox', filter: 'official' });
    expect(page.results.map((r) => r.pullName)).toEqual(['busybox']);
    const repo = await client.call('hub.repository', { repository: 'busybox' });
    expect(repo.fullDescription).toContain('BusyBox');
    const tags = await client.call('hub.tags', { repository: 'berthtest/many-tags', page: 3, pageSize: 100 });
    expect(tags.tags).toHaveLength(50);
    expect(tags.hasMore).toBe(false);
  });

  it('rate limits arrive as code rate-limited with retryAfter', async () => {
    await hub.setMode('rate-limit', { retryAfter: '17' });
    try {
      const err = await callError(client.call('hub.tags', { repository: 'alpine' }));
      expect(err).toMatchObject({ code: 'rate-limited', retryAfter: 17, hint: 'Try again in 17 s.' });
    } finally {
      await hub.setMode('ok');
    }
  });

  it('an unreachable Hub is offline while the agent keeps answering', async () => {
    await hub.setMode('offline');
    try {
      const err = await callError(client.call('hub.search', { query: 'nothing-cached-for-this' }));
      expect(err.code).toBe('offline');
      expect((await client.call('agent.info', {})).pid).toBe(process.pid);
    } finally {
      await hub.setMode('ok');
    }
  });

  it('bad names are refused before Hub is asked', async () => {
    const before = hub.requests.length;
    const err = await callError(client.call('hub.repository', { repository: 'Not/A/Name' }));
    expect(err.code).toBe('bad-request');
    expect(hub.requests.length).toBe(before);
  });
});

describe('registry.* over the protocol', () => {
  it('logs in, lists without secrets, logs out', async () => {
    const empty = await client.call('registry.list', {});
    expect(empty).toEqual({ storage: 'file-key', logins: [] });

    const login = await client.call('registry.login', { registry: 'docker.io', username: 'me', secret: 's3cret-token' });
    expect(login).toMatchObject({ registry: 'https://index.docker.io/v1/', username: 'me', storage: 'file-key' });

    const list = await client.call('registry.list', {});
    expect(list.logins).toHaveLength(1);
    expect(JSON.stringify(list)).not.toContain('s3cret-token');

    const onDisk = await fs.readFile(path.join(paths.credentials, 'registries.json'), 'utf8');
    expect(onDisk).not.toContain('s3cret-token');
    expect((await fs.stat(path.join(paths.credentials, 'registries.json'))).mode & 0o777).toBe(0o600);

    expect(await client.call('registry.logout', { registry: 'index.docker.io' })).toEqual({ removed: true });
    expect((await client.call('registry.list', {})).logins).toEqual([]);
  });

  it('schema violations are bad-request', async () => {
    const err = await callError(client.call('registry.login', { registry: 'ghcr.io', username: '', secret: 'x' }));
    expect(err.code).toBe('bad-request');
  });
});
