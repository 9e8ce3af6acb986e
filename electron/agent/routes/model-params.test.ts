import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RpcClient } from '../../protocol/client';
import { connectUnix } from '../../protocol/unix';
import type { BerthContract } from '../../contract/contract';
import { berthPaths } from '../../base/paths';
import { startAgent, type RunningAgent } from '../agent';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

// What `berth` or the UI shows when a name breaks the engine's rule: the field and the rule, not only
// "Invalid parameters". Checked before anything reaches the engine, so no VM is needed.
describe('bad names for volumes and networks', () => {
  let agent: RunningAgent;
  let client: RpcClient<BerthContract>;
  beforeAll(async () => {
    const paths = berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-names-')));
    agent = await startAgent({ paths, logger: quiet });
    client = new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
  });
  afterAll(async () => {
    client?.close();
    await agent?.stop();
  });

  it('names the field and the rule', async () => {
    await expect(client.call('volumes.create', { name: 'my data' })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('name: a volume name starts with a letter or digit and has only letters, digits, _ . or -'),
    });
    await expect(client.call('networks.create', { name: '-net' })).rejects.toMatchObject({
      message: expect.stringContaining('name: a network name starts with a letter or digit'),
    });
  });
});
