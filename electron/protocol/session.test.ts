import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TransportName } from '../testing/protocol-harness';
import type { RawPeer } from '../testing/raw-peer';
import { MAX_FRAME_BYTES } from './frames';
import { MAX_QUEUED_BYTES } from './outgoing';

const transports: TransportName[] = ['unix', 'websocket'];

type Frame = { type: string; id: number; result?: unknown; item?: unknown; error?: { code: string; message: string } };

/** Frames from the peer until one matches, failing on a close or a timeout. */
async function until(peer: RawPeer, match: (f: Frame) => boolean, timeoutMs = 5000): Promise<Frame> {
  for (;;) {
    const frame = (await peer.next(timeoutMs)) as Frame | null;
    if (!frame) throw new Error('the server closed the connection');
    if (match(frame)) return frame;
  }
}

describe.each(transports)('one connection over %s', (transport) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** A `forever` stream whose producers count their starts and aborts. */
  async function foreverHarness() {
    const producers = { started: 0, aborted: 0 };
    h = await startHarness(transport, (r) => {
      r.stream('forever', async (_p, sink) => {
        producers.started += 1;
        sink.signal.addEventListener('abort', () => (producers.aborted += 1));
        for (let i = 0; !sink.signal.aborted; i++) {
          await sink.push(i).catch(() => undefined);
          await new Promise((res) => setTimeout(res, 5));
        }
      });
      r.call('add', async ({ a, b }) => a + b);
      r.call('slow', async ({ ms }) => {
        await new Promise((res) => setTimeout(res, ms));
        return 'done';
      });
    });
    return producers;
  }

  it('refuses a stream whose id is already open, keeps the first, and cancels it on disconnect', async () => {
    const producers = await foreverHarness();
    const peer = await h!.raw();
    peer.send(JSON.stringify({ type: 'open', id: 7, stream: 'forever', params: {}, window: 1000 }));
    await until(peer, (f) => f.type === 'item' && f.id === 7);
    peer.send(JSON.stringify({ type: 'open', id: 7, stream: 'forever', params: {}, window: 1000 }));
    const refusal = await until(peer, (f) => f.type === 'end');
    expect(refusal).toMatchObject({ id: 7, error: { code: 'bad-request', message: expect.stringContaining('already in use') } });
    // A call may not take a running stream's id either.
    peer.send(JSON.stringify({ type: 'call', id: 7, method: 'add', params: { a: 1, b: 2 } }));
    expect(await until(peer, (f) => f.type === 'error')).toMatchObject({ id: 7, error: { code: 'bad-request' } });
    // The first stream still runs.
    await until(peer, (f) => f.type === 'item' && f.id === 7);
    expect(producers.started).toBe(1);
    peer.close();
    await expect.poll(() => producers.aborted).toBe(1);
  });

  it('refuses a call whose id is still in flight and answers the first', async () => {
    await foreverHarness();
    const peer = await h!.raw();
    peer.send(JSON.stringify({ type: 'call', id: 3, method: 'slow', params: { ms: 100 } }));
    peer.send(JSON.stringify({ type: 'call', id: 3, method: 'add', params: { a: 1, b: 2 } }));
    expect(await peer.next()).toMatchObject({ type: 'error', id: 3, error: { code: 'bad-request' } });
    expect(await peer.next()).toMatchObject({ type: 'result', id: 3, result: 'done' });
    // Once answered, the id is free again.
    peer.send(JSON.stringify({ type: 'call', id: 3, method: 'add', params: { a: 1, b: 2 } }));
    expect(await peer.next()).toMatchObject({ type: 'result', id: 3, result: 3 });
    peer.close();
  });

  it('drops a client that never reads its replies once its queue passes the bound', async () => {
    h = await startHarness(transport, (r) => r.call('blob', async ({ bytes }) => 'x'.repeat(bytes)));
    const peer = await h.raw();
    peer.stopReading();
    const replyBytes = 4 * 1024 * 1024;
    const calls = Math.ceil((2 * MAX_QUEUED_BYTES) / replyBytes);
    for (let id = 1; id <= calls; id++) peer.send(JSON.stringify({ type: 'call', id, method: 'blob', params: { bytes: replyBytes } }));
    // A client that does not read cannot see the close either: the server's log says it dropped it.
    await expect.poll(() => h!.logs.some((l) => l.includes('does not read its replies')), { timeout: 10_000 }).toBe(true);
    peer.close();
    // Others are served as before.
    expect(await h.client.call('blob', { bytes: 3 })).toBe('xxx');
  });

  it('answers a reply too large for a frame with a typed error instead of a frame the client would refuse', async () => {
    h = await startHarness(transport, (r) => r.call('blob', async ({ bytes }) => 'x'.repeat(bytes)));
    await expect(h.client.call('blob', { bytes: MAX_FRAME_BYTES })).rejects.toMatchObject({
      code: 'internal',
      message: expect.stringContaining('larger than a protocol frame'),
    });
    expect(await h.client.call('blob', { bytes: 3 })).toBe('xxx');
  });
});
