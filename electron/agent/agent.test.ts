import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RpcClient } from '../protocol/client';
import { connectUnix } from '../protocol/unix';
import { openWebSocket } from '../protocol/websocket';
import type { BerthContract } from '../contract/contract';
import { startAgent, type RunningAgent } from './agent';
import { AgentAlreadyRunning } from './control-socket';
import { berthPaths } from '../base/paths';

const BIN = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url));
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function tempPaths() {
  return berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-home-')));
}

const mode = async (file: string) => (await fs.stat(file)).mode & 0o777;

describe('agent', () => {
  const agents: RunningAgent[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
  });

  it('keeps its control socket, info file and run folder private to the user', async () => {
    const paths = await tempPaths();
    agents.push(await startAgent({ paths, logger: quiet }));
    expect(await mode(paths.agentSocket)).toBe(0o600);
    expect(await mode(paths.agentInfo)).toBe(0o600);
    expect(await mode(paths.run)).toBe(0o700);
  });

  it('answers the same contract on the unix socket and the WebSocket', async () => {
    const paths = await tempPaths();
    const agent = await startAgent({ paths, logger: quiet });
    agents.push(agent);
    const unix = new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
    const ws = new RpcClient<BerthContract>(
      await openWebSocket(new WebSocket(`ws://127.0.0.1:${agent.info.port}/rpc?token=${agent.info.token}`) as never),
    );
    const [a, b] = await Promise.all([unix.call('agent.info', {}), ws.call('agent.info', {})]);
    expect(a.pid).toBe(process.pid);
    expect(b).toEqual(a);
    expect(a.uiUrl).toBe(agent.info.url);
    const status: unknown[] = [];
    const watch = ws.open('status.watch', {}, { onItem: (s) => void status.push(s) });
    await expect.poll(() => status.length).toBe(1);
    expect(status[0]).toMatchObject({ vm: { state: 'stopped' } });
    watch.cancel();
    unix.close();
    ws.close();
  });

  it('refuses to start a second agent on the same home', async () => {
    const paths = await tempPaths();
    agents.push(await startAgent({ paths, logger: quiet }));
    await expect(startAgent({ paths, logger: quiet })).rejects.toBeInstanceOf(AgentAlreadyRunning);
    // The first one is unharmed.
    const client = new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
    expect((await client.call('agent.info', {})).pid).toBe(process.pid);
    client.close();
  });

  it('replaces a socket file left over by a crashed agent', async () => {
    const paths = await tempPaths();
    await fs.mkdir(paths.run, { recursive: true });
    const dead = net.createServer();
    await new Promise<void>((r) => dead.listen(paths.agentSocket, r));
    // Simulate a crash: the file stays but nobody listens.
    await new Promise<void>((r) => {
      const handle = (dead as unknown as { _handle: { close(): void } })._handle;
      handle.close();
      r();
    });
    agents.push(await startAgent({ paths, logger: quiet }));
    const client = new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
    expect((await client.call('agent.info', {})).pid).toBe(process.pid);
    client.close();
  });

  it('`berth agent` run twice: the second finds the first and exits', async () => {
    const paths = await tempPaths();
    const env = { ...process.env, BERTH_HOME: paths.home };
    const first = spawn(process.execPath, [BIN, 'agent'], { env, stdio: 'ignore' });
    try {
      await expect.poll(() => fs.access(paths.agentInfo).then(() => true, () => false), { timeout: 10_000 }).toBe(true);
      const second = spawn(process.execPath, [BIN, 'agent'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      second.stderr.on('data', (c) => (stderr += c));
      const code = await new Promise<number | null>((r) => second.on('exit', r));
      expect(code).toBe(0);
      expect(stderr).toMatch(/already running/);
      expect(first.exitCode).toBeNull();
      const client = new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
      expect((await client.call('agent.info', {})).pid).toBe(first.pid);
      await client.call('agent.shutdown', {});
      expect(await new Promise<number | null>((r) => first.on('exit', r))).toBe(0);
      await expect(fs.access(paths.agentSocket)).rejects.toThrow();
    } finally {
      first.kill('SIGKILL');
    }
  });
});
