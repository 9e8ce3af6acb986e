import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RpcClient } from '../protocol/client';
import { openWebSocket } from '../protocol/websocket';
import type { BerthContract } from '../contract/contract';
import { startAgent, type RunningAgent } from './agent';
import { berthPaths } from '../base/paths';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

async function tempPaths() {
  return berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-home-')));
}

/** What an open tab does: a WebSocket to the address it was opened at, with the token it kept. */
async function tabCall(port: number, token: string): Promise<number> {
  const client = new RpcClient<BerthContract>(await openWebSocket(new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`) as never));
  try {
    return (await client.call('agent.info', {})).pid;
  } finally {
    client.close();
  }
}

describe("browser mode's address across agent restarts", () => {
  const agents: RunningAgent[] = [];
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await Promise.all(agents.splice(0).map((a) => a.stop()));
    await Promise.all(closers.splice(0).map((c) => c()));
  });

  it('a restarted agent serves the same port and token, so the old tab reconnects; the file is user-only', async () => {
    const paths = await tempPaths();
    const first = await startAgent({ paths, logger: quiet });
    const { port, token, url } = first.info;
    expect(await tabCall(port, token)).toBe(process.pid);
    await first.stop();
    await expect(tabCall(port, token)).rejects.toThrow();

    const second = await startAgent({ paths, logger: quiet });
    agents.push(second);
    expect(second.info).toMatchObject({ port, token, url });
    expect(await tabCall(port, token)).toBe(process.pid);
    expect((await fs.stat(paths.uiAddress)).mode & 0o777).toBe(0o600);
  });

  it('when another program took the port, the UI moves to a new port with a new token (the old one opens nothing)', async () => {
    const paths = await tempPaths();
    const first = await startAgent({ paths, logger: quiet });
    const old = first.info;
    await first.stop();
    const squatter = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => squatter.listen(old.port, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => squatter.close(() => resolve())));

    const warnings: string[] = [];
    const second = await startAgent({ paths, logger: { ...quiet, warn: (m: string) => void warnings.push(m) } });
    agents.push(second);
    expect(second.info.port).not.toBe(old.port);
    expect(second.info.token).not.toBe(old.token);
    expect(warnings.join('\n')).toContain(`port ${old.port} is taken`);
    await expect(tabCall(second.info.port, old.token)).rejects.toThrow();
    expect(await tabCall(second.info.port, second.info.token)).toBe(process.pid);
    // The new address is the one kept for the next run.
    await second.stop();
    agents.pop();
    const third = await startAgent({ paths, logger: quiet });
    agents.push(third);
    expect(third.info).toMatchObject({ port: second.info.port, token: second.info.token });
  });

  it('a damaged address file is replaced by a new address, not served', async () => {
    const paths = await tempPaths();
    await fs.mkdir(paths.home, { recursive: true });
    await fs.writeFile(paths.uiAddress, '{"port": 80, "tok');
    const agent = await startAgent({ paths, logger: quiet });
    agents.push(agent);
    expect(JSON.parse(await fs.readFile(paths.uiAddress, 'utf8'))).toEqual({ port: agent.info.port, token: agent.info.token });
  });
});
