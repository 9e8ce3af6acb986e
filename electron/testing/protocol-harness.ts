import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { z } from 'zod';
import { RpcClient } from '../protocol/client';
import { Router, RpcServer } from '../protocol/server';
import { call, stream, type ContractShape } from '../protocol/spec';
import { connectUnix, unixConnection } from '../protocol/unix';
import { openWebSocket } from '../protocol/websocket';
import { startUiServer } from '../agent/ui-server';
import { rawUnixPeer, rawWebSocketPeer, type RawPeer } from './raw-peer';

/** A small contract of its own, so the protocol is tested apart from Berth's services. */
export const testContract = {
  calls: {
    add: call<number>()(z.object({ a: z.number(), b: z.number() })),
    fail: call<null>()(z.object({ code: z.enum(['conflict', 'not-found']) })),
    crash: call<null>()(z.object({})),
    slow: call<string>()(z.object({ ms: z.number().int().max(10_000) })),
    /** A reply of `bytes` characters, to fill a connection's queue or exceed a frame. */
    blob: call<string>()(z.object({ bytes: z.number().int().nonnegative() })),
  },
  streams: {
    count: stream<number>()(z.object({ to: z.number().int().nonnegative() })),
    forever: stream<number>()(z.object({})),
    echo: stream<string>()(z.object({}), z.string().max(100)),
  },
} as const;
export type TestContract = typeof testContract;

export interface Served<C extends ContractShape> {
  client: RpcClient<C>;
  /** A further connection that sends frames exactly as given (see raw-peer.ts). */
  raw(): Promise<RawPeer>;
  /** What the server logged. */
  logs: string[];
  close(): Promise<void>;
}

export interface Harness extends Served<TestContract> {
  router: Router<TestContract>;
}

export type TransportName = 'unix' | 'websocket';

export async function startHarness(
  transport: TransportName,
  register: (router: Router<TestContract>) => void,
): Promise<Harness> {
  const router = new Router(testContract);
  register(router);
  return { router, ...(await serveRouter(router, transport)) };
}

/** Serves any router (the test contract's or Berth's own) on a real unix socket or WebSocket, with a client. */
export async function serveRouter<C extends ContractShape>(router: Router<C>, transport: TransportName): Promise<Served<C>> {
  const logs: string[] = [];
  const rpc = new RpcServer(router, (line) => void logs.push(line));
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-proto-'));
  if (transport === 'unix') {
    const socketPath = path.join(dir, 'rpc.sock');
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.once('close', () => sockets.delete(s));
      rpc.attach(unixConnection(s));
    });
    await new Promise<void>((r) => server.listen(socketPath, r));
    const client = new RpcClient<C>(await connectUnix(socketPath));
    return {
      client,
      raw: () => rawUnixPeer(socketPath),
      logs,
      close: async () => {
        client.close();
        const closed = new Promise<void>((r) => server.close(() => r()));
        sockets.forEach((s) => s.destroy());
        await closed;
        await fs.rm(dir, { recursive: true, force: true });
      },
    };
  }
  const token = 'test-token-0123456789';
  const ui = await startUiServer({ token, port: 0, staticDir: dir, onConnection: (c) => rpc.attach(c), log: () => {} });
  const ws = new WebSocket(`ws://127.0.0.1:${ui.port}/rpc?token=${token}`);
  const client = new RpcClient<C>(await openWebSocket(ws as never));
  return {
    client,
    raw: () => rawWebSocketPeer(`ws://127.0.0.1:${ui.port}/rpc?token=${token}`),
    logs,
    close: async () => {
      client.close();
      await ui.close();
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
