import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startAgent, type RunningAgent } from '../agent';
import { berthPaths } from '../../base/paths';
import { RpcClient } from '../../protocol/client';
import { connectUnix } from '../../protocol/unix';
import type { BerthContract } from '../../contract/contract';
import { BerthError } from '../../base/errors';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** The vm.* and settings.* calls through a real agent and its control socket (no VM is booted here). */
describe('engine handlers in a real agent', () => {
  const agents: RunningAgent[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
  });

  async function setup() {
    const paths = berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-eh-')));
    agents.push(await startAgent({ paths, logger: quiet }));
    return { paths, client: new RpcClient<BerthContract>(await connectUnix(paths.agentSocket)) };
  }

  it('settings: defaults, a valid update written 0600, a bad one refused naming the field with nothing written', async () => {
    const { paths, client } = await setup();
    const view = await client.call('settings.get', {});
    expect(view.file).toBe(paths.settings);
    expect(view.host.cpus).toBe(os.availableParallelism());
    const res = await client.call('settings.update', { patch: { cpus: 1, autostart: false } });
    expect(res.settings.cpus).toBe(1);
    expect(res.restartRequired).toContain('cpus');
    expect((await fs.stat(paths.settings)).mode & 0o777).toBe(0o600);
    const before = await fs.readFile(paths.settings, 'utf8');

    const err = (await client.call('settings.update', { patch: { cpus: 0, memoryMiB: 'x' } }).catch((e: unknown) => e)) as BerthError;
    expect(err).toBeInstanceOf(BerthError);
    expect(err.code).toBe('bad-request');
    expect(err.message).toMatch(/cpus must be at least 1/);
    expect(err.message).toMatch(/memoryMiB must be a number/);
    expect(err.hint).toMatch(/nothing was saved/);
    const tooBig = (await client.call('settings.update', { patch: { cpus: os.availableParallelism() + 1 } }).catch((e: unknown) => e)) as BerthError;
    expect(tooBig.message).toMatch(/cpus is \d+ but this host has \d+ CPUs/);
    expect(await fs.readFile(paths.settings, 'utf8')).toBe(before);
    client.close();
  });

  it('vm.status, vm.state and vm.logs answer while the VM is stopped', async () => {
    const { client } = await setup();
    const d = await client.call('vm.status', {});
    expect(d).toMatchObject({ vm: { state: 'stopped' }, engine: { ready: false }, dockerSocket: null });
    const items: unknown[] = [];
    const watch = client.open('vm.state', {}, { onItem: (s) => void items.push(s) });
    await expect.poll(() => items.length).toBe(1);
    watch.cancel();
    expect((await client.call('vm.logs', { lines: 5 })).lines).toEqual([]);
    await expect(client.call('vm.logs', { lines: 0 })).rejects.toMatchObject({ code: 'bad-request' });
    const s = await client.call('status.get', {});
    expect(s).toEqual({ vm: { state: 'stopped' }, engine: { state: 'unavailable' } });
    client.close();
  });
});
