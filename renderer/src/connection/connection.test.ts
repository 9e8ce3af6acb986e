// @vitest-environment node
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startAgent, type RunningAgent } from '../../../electron/agent/agent';
import { berthPaths } from '../../../electron/base/paths';
import type { BerthStatus } from '../../../electron/contract/contract';
import type { CollectionEvent, ContainerSummary } from '../../../electron/contract/model';
import { AgentConnection, useConnection } from './connection';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

describe('the connection to a real agent', () => {
  let agent: RunningAgent | undefined;
  let conn: AgentConnection | undefined;
  afterEach(async () => {
    conn?.stop();
    await agent?.stop();
  });

  it('subscribes, survives a dropped socket by reconnecting, and resubscribes', async () => {
    const paths = berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-conn-')));
    agent = await startAgent({ paths, logger: quiet });
    const url = `ws://127.0.0.1:${agent.info.port}/rpc?token=${agent.info.token}`;
    const sockets: WebSocket[] = [];
    conn = new AgentConnection(url, (u) => {
      const s = new WebSocket(u);
      sockets.push(s);
      return s as never;
    });
    const statuses: BerthStatus[] = [];
    const containers: CollectionEvent<ContainerSummary>[] = [];
    conn.subscribe('status.watch', {}, (s) => void statuses.push(s));
    conn.subscribe('containers.watch', {}, (e) => void containers.push(e));
    conn.start();
    await expect.poll(() => useConnection.getState().state).toBe('open');
    await expect.poll(() => statuses.length).toBe(1);
    // No engine: the list is empty because the engine is away, and says so.
    await expect.poll(() => containers[0]).toEqual({ kind: 'snapshot', ready: false, items: [] });

    sockets[0].terminate();
    await expect.poll(() => useConnection.getState().state).toBe('retrying');
    await expect.poll(() => useConnection.getState().state, { timeout: 10_000 }).toBe('open');
    await expect.poll(() => statuses.length).toBe(2);
    await expect.poll(() => containers.length).toBe(2);
    expect(sockets.length).toBe(2);
    await expect(conn.call('agent.info', {})).resolves.toMatchObject({ pid: process.pid });
    // The agent judges a run request by the Run dialog's rules, whatever the client sent.
    await expect(conn.call('containers.run', { image: 'x', ports: [{ host: 70000, container: 80 }] } as never)).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining('ports are 1-65535'),
    });
    // Valid, but no engine: a typed error with a hint rather than a hang.
    await expect(conn.call('containers.run', { image: 'x' })).rejects.toMatchObject({ code: 'unavailable', hint: expect.stringContaining('berth start') });
  });

  it('keeps retrying with a wrong token instead of giving up', async () => {
    const paths = berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-conn-')));
    agent = await startAgent({ paths, logger: quiet });
    conn = new AgentConnection(`ws://127.0.0.1:${agent.info.port}/rpc?token=wrong`, (u) => new WebSocket(u) as never);
    conn.start();
    await expect.poll(() => useConnection.getState().attempt, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(useConnection.getState().state).toBe('retrying');
    await expect(conn.call('agent.info', {})).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('asks a URL source before every attempt: null means no token, a failure is retried', async () => {
    const paths = berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-conn-')));
    agent = await startAgent({ paths, logger: quiet });
    const url = `ws://127.0.0.1:${agent.info.port}/rpc?token=${agent.info.token}`;

    const none = new AgentConnection(async () => null, (u) => new WebSocket(u) as never);
    none.start();
    await expect.poll(() => useConnection.getState().state).toBe('no-token');
    none.stop();

    // The first answer fails (main not ready, say); the next attempt asks again and connects.
    let asked = 0;
    conn = new AgentConnection(
      async () => {
        asked += 1;
        if (asked === 1) throw new Error('not yet');
        return url;
      },
      (u) => new WebSocket(u) as never,
    );
    conn.start();
    await expect.poll(() => useConnection.getState().state, { timeout: 10_000 }).toBe('open');
    expect(asked).toBe(2);
    await expect(conn.call('agent.info', {})).resolves.toMatchObject({ pid: process.pid });
  });
});
