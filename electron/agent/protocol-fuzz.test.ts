import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { berthPaths, type BerthPaths } from '../base/paths';
import { contract, type BerthContract } from '../contract/contract';
import { RpcClient } from '../protocol/client';
import { connectUnix } from '../protocol/unix';
import { openWebSocket } from '../protocol/websocket';
import { rawUnixPeer, rawWebSocketPeer, type RawPeer } from '../testing/raw-peer';
import { startAgent, type RunningAgent } from './agent';
import { fuzzCases, LIVE_STREAM_ID, type FuzzCase } from '../testing/protocol-fuzz-cases';

/**
 * A real agent (no VM) on both transports, fed malformed frames: each earns a typed error for its id, silence
 * (frames about ids that are not open), or a closed connection, and the agent answers normal calls throughout
 * and afterwards. A client that never reads is dropped and its memory given back.
 */

const SEED = 20261130;
const PING_METHOD = 'agent.info';
/** The console log's size: vm.logs of all of it is just under a frame. */
const CONSOLE_LINES = 10_000;
const CONSOLE_LINE_CHARS = 680;
/** Frames sent before each ping. */
const BATCH = 50;

type Reply = { type: string; id: number; error?: { code: string; message: string } };

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heapBytes = () => {
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

describe('protocol fuzzing against a real agent', () => {
  let paths: BerthPaths;
  let agent: RunningAgent;
  const logs: string[] = [];
  const logger = { info: (m: string) => void logs.push(m), warn: (m: string) => void logs.push(m), error: (m: string) => void logs.push(m) };

  beforeAll(async () => {
    paths = berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-fuzz-')));
    // A large console log from an earlier boot, so one vm.logs call has a large answer.
    await fs.mkdir(paths.vm, { recursive: true });
    const line = `${'x'.repeat(CONSOLE_LINE_CHARS)}\n`;
    await fs.writeFile(path.join(paths.vm, 'console.log'), line.repeat(CONSOLE_LINES));
    agent = await startAgent({ paths, logger });
  });
  afterAll(async () => {
    await agent.stop();
    await fs.rm(paths.home, { recursive: true, force: true });
  });

  const transports = {
    unix: () => rawUnixPeer(paths.agentSocket),
    websocket: () => rawWebSocketPeer(`ws://127.0.0.1:${agent.info.port}/rpc?token=${agent.info.token}`),
  };

  async function normalCallsStillWork() {
    const unix = new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
    const ws = new RpcClient<BerthContract>(
      await openWebSocket(new WebSocket(`ws://127.0.0.1:${agent.info.port}/rpc?token=${agent.info.token}`) as never),
    );
    expect((await unix.call('agent.info', {})).pid).toBe(process.pid);
    expect((await ws.call('agent.info', {})).pid).toBe(process.pid);
    unix.close();
    ws.close();
  }

  describe.each(Object.keys(transports) as (keyof typeof transports)[])('over %s', (transport) => {
    const cases = fuzzCases(SEED + transport.length, contract, transport);

    it(`answers ${cases.length} malformed frames with a typed error, silence or a close`, async () => {
      expect(cases.length).toBeGreaterThanOrEqual(1000);
      const peer = await transports[transport]();
      // A long-lived stream whose id later frames try to reuse.
      peer.send(JSON.stringify({ type: 'open', id: LIVE_STREAM_ID, stream: 'status.watch', params: {}, window: 1000 }));
      expect(await peer.next()).toMatchObject({ type: 'item', id: LIVE_STREAM_ID });
      let pingId = 2_000_000;
      const counts = { error: 0, silent: 0, close: 0 };
      const closers = cases.filter((c) => c.expect === 'close');
      const others = cases.filter((c) => c.expect !== 'close');

      // In batches: every frame of a batch, then a ping; what came back before the ping's answer must be
      // exactly one typed error per 'error' frame (matched by id) and nothing for the silent ones.
      for (let start = 0; start < others.length; start += BATCH) {
        const batch = others.slice(start, start + BATCH);
        batch.forEach((c) => sendCase(peer, c));
        const ping = ++pingId;
        peer.send(JSON.stringify({ type: 'call', id: ping, method: PING_METHOD, params: {} }));
        const replies = await repliesUntilPing(peer, ping, batch);
        const expected = batch.filter((c) => c.expect === 'error').map((c) => c.replyId);
        expect(replies.map((r) => r.id).sort(), batch.map(describeCase).join('\n')).toEqual(expected.sort());
        for (const reply of replies) {
          expect(['error', 'end']).toContain(reply.type);
          expect(reply.error?.code, JSON.stringify(reply)).toBe('bad-request');
        }
        for (const c of batch) counts[c.expect] += 1;
      }
      // Each closer on a connection of its own.
      for (const c of closers) {
        const victim = await transports[transport]();
        sendCase(victim, c);
        await expectClosed(victim, c);
        counts.close += 1;
      }
      // The stream whose id every duplicate claimed is still the one running: its id is still taken.
      peer.send(JSON.stringify({ type: 'open', id: LIVE_STREAM_ID, stream: 'status.watch', params: {}, window: 1 }));
      expect(await peer.next()).toMatchObject({ type: 'end', id: LIVE_STREAM_ID, error: { code: 'bad-request' } });
      peer.close();
      expect(counts.error + counts.silent + counts.close).toBe(cases.length);
      expect(counts.close).toBeGreaterThan(10);
      await normalCallsStillWork();
    });

    it('drops a client that never reads, and gives its memory back', async () => {
      const before = heapBytes();
      const peer = await transports[transport]();
      peer.stopReading();
      const dropsBefore = logs.filter((l) => l.includes('does not read its replies')).length;
      // Each vm.logs answer carries the whole console log beforeAll wrote: ~7 MB, a few calls fill the queue.
      for (let id = 1; id <= 12; id++) peer.send(JSON.stringify({ type: 'call', id, method: 'vm.logs', params: { lines: CONSOLE_LINES } }));
      await expect
        .poll(() => logs.filter((l) => l.includes('does not read its replies')).length, { timeout: 15_000 })
        .toBe(dropsBefore + 1);
      peer.close();
      await expect.poll(() => heapBytes() - before, { timeout: 5000 }).toBeLessThan(16 * 1024 * 1024);
      await normalCallsStillWork();
    });
  });
});

function describeCase(c: FuzzCase): string {
  const shown = typeof c.frame === 'string' ? c.frame : `<${c.frame.length} bytes>`;
  return `${c.label}: ${shown.length > 200 ? `${shown.slice(0, 200)}… (${shown.length})` : shown}`;
}

function sendCase(peer: RawPeer, c: FuzzCase): void {
  if (typeof c.frame === 'string') peer.send(c.frame);
  else peer.sendBytes(c.frame);
}

async function expectClosed(peer: RawPeer, c: FuzzCase): Promise<void> {
  const closedInTime = await Promise.race([
    peer.closed.then(() => true),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5000)),
  ]);
  expect(closedInTime, describeCase(c)).toBe(true);
}

/** Replies before the ping's result, leaving out items of the long-lived stream. */
async function repliesUntilPing(peer: RawPeer, ping: number, batch: FuzzCase[]): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (;;) {
    const frame = (await peer.next(5000)) as Reply | null;
    if (!frame) throw new Error(`the connection closed during\n${batch.map(describeCase).join('\n')}`);
    if (frame.id === ping && frame.type === 'result') return replies;
    if (frame.type === 'item' && frame.id === LIVE_STREAM_ID) continue;
    replies.push(frame);
  }
}
