import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestImage, startBerth, TEST_IMAGE, type BerthUnderTest } from '../testing/vm-fixture';
import { startLocalRegistry } from '../testing/local-registry';
import type { AgentClient } from '../agent/client';

/** A second plain-HTTP registry: not allowed by Berth's defaults (only 10.0.2.2:5000 is). */
const PORT = 5001;
const REGISTRY = `10.0.2.2:${PORT}`;
const REMOTE = `${REGISTRY}/berth-test/engine-config:1`;

function pull(client: AgentClient, ref: string): Promise<{ message: string; hint?: string } | null> {
  return new Promise((resolve) => client.open('images.pull', { ref }, { onItem: () => undefined, onEnd: (err) => resolve(err ?? null) }));
}

/** Settings > Docker Engine on the real engine: a config is checked, delivered at boot, and dockerd runs with it. */
describe('engine settings (engineConfig) on the real VM', () => {
  let b: BerthUnderTest;
  let registry: { stop(): Promise<void> };
  let client: AgentClient;
  beforeAll(async () => {
    registry = await startLocalRegistry(PORT);
    b = await startBerth();
    await ensureTestImage(b);
    client = await b.client();
  }, 600_000);
  afterAll(async () => {
    client?.close();
    await b?.stop();
    await registry?.stop();
  });

  it('a bad engine config is refused naming the key, and nothing is saved', async () => {
    const owned = await b.berth('settings', 'set', `engineConfig={"hosts": ["tcp://0.0.0.0:2375"]}`);
    expect(owned.code).not.toBe(0);
    expect(owned.stderr).toContain('engineConfig.hosts is set by Berth');
    const typo = await b.berth('settings', 'set', `engineConfig={"insecure-registry": ["${REGISTRY}"]}`);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toContain('engineConfig.insecure-registry is not an engine setting Berth knows');
    expect((await client.call('settings.get', {})).settings.engineConfig).toEqual({});
  });

  it(`a pull from ${REGISTRY} is refused until the registry is added to insecure-registries and the VM restarted`, async () => {
    const before = await pull(client, REMOTE);
    expect(before?.message).toMatch(/HTTP response to HTTPS client/);
    expect(before?.hint).toContain('Settings > Docker Engine');

    const set = await b.berth('settings', 'set', `engineConfig={"insecure-registries": ["${REGISTRY}"], "log-opts": {"max-size": "10m"}}`);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain('engineConfig');
    const restarted = await b.berth('restart');
    expect(restarted.code, restarted.stderr).toBe(0);

    // dockerd runs with the user's keys and Berth's own default registry still allowed.
    const insecure = await b.docker('info', '--format', '{{json .RegistryConfig.IndexConfigs}}');
    expect(insecure).toContain(REGISTRY);
    expect(insecure).toContain('10.0.2.2:5000');
    // The image travels host -> 5001 through the engine, then comes back by a pull of the agent's.
    await b.docker('tag', TEST_IMAGE, REMOTE);
    await b.docker('push', REMOTE);
    await b.docker('rmi', REMOTE);
    expect(await pull(client, REMOTE)).toBeNull();
    expect(await b.docker('image', 'ls', '-q', REMOTE)).not.toBe('');
  }, 600_000);
});
