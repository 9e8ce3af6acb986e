import { afterEach, describe, expect, it } from 'vitest';
import { BerthError } from '../base/errors';
import { startHarness, type Harness, type TransportName } from '../testing/protocol-harness';

const transports: TransportName[] = ['unix', 'websocket'];

describe.each(transports)('protocol over %s', (transport) => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('answers a call with its result', async () => {
    h = await startHarness(transport, (r) => r.call('add', async ({ a, b }) => a + b));
    expect(await h.client.call('add', { a: 2, b: 40 })).toBe(42);
  });

  it('delivers typed errors with code, message and hint', async () => {
    h = await startHarness(transport, (r) =>
      r.call('fail', async ({ code }) => {
        throw new BerthError(code, 'That name is taken', 'Choose another name.');
      }),
    );
    const err = await h.client.call('fail', { code: 'conflict' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthError);
    expect(err).toMatchObject({ code: 'conflict', message: 'That name is taken', hint: 'Choose another name.' });
  });

  it('reports unexpected exceptions as internal errors without killing the connection', async () => {
    h = await startHarness(transport, (r) => {
      r.call('crash', async () => {
        throw new TypeError('boom');
      });
      r.call('add', async ({ a, b }) => a + b);
    });
    await expect(h.client.call('crash', {})).rejects.toMatchObject({ code: 'internal', message: 'boom' });
    expect(await h.client.call('add', { a: 1, b: 1 })).toBe(2);
  });

  it('rejects parameters that fail the schema before any handler runs', async () => {
    let ran = 0;
    h = await startHarness(transport, (r) =>
      r.call('add', async ({ a, b }) => {
        ran += 1;
        return a + b;
      }),
    );
    const err = await h.client.call('add', { a: 'two', b: 1 } as never).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'bad-request' });
    expect((err as Error).message).toMatch(/Invalid parameters for add: a: /);
    expect(ran).toBe(0);
  });

  it('rejects calls that are not in the contract', async () => {
    h = await startHarness(transport, () => {});
    await expect(h.client.call('nope' as 'add', { a: 1, b: 2 })).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('streams items in order and then ends', async () => {
    h = await startHarness(transport, (r) =>
      r.stream('count', async ({ to }, sink) => {
        for (let i = 1; i <= to; i++) await sink.push(i);
      }),
    );
    const items: number[] = [];
    const handle = h.client.open('count', { to: 300 }, { onItem: (n) => void items.push(n) });
    await handle.done;
    expect(items).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('ends a stream with a typed error when its parameters are invalid', async () => {
    h = await startHarness(transport, (r) => r.stream('count', async () => {}));
    const handle = h.client.open('count', { to: -1 }, { onItem: () => {} });
    await expect(handle.done).rejects.toMatchObject({ code: 'bad-request' });
  });

  it('cancels a stream: the producer sees the abort and stops', async () => {
    let aborted!: () => void;
    const producerStopped = new Promise<void>((resolve) => (aborted = resolve));
    let produced = 0;
    h = await startHarness(transport, (r) =>
      r.stream('forever', async (_p, sink) => {
        sink.signal.addEventListener('abort', () => aborted());
        try {
          for (;;) {
            await sink.push(produced);
            produced += 1;
            await new Promise((res) => setTimeout(res, 1));
          }
        } catch (err) {
          expect(err).toMatchObject({ code: 'cancelled' });
        }
      }),
    );
    const seen: number[] = [];
    const handle = h.client.open('forever', {}, {
      onItem: (n) => {
        seen.push(n);
        if (seen.length === 5) handle.cancel();
      },
    });
    await producerStopped;
    const producedAtCancel = produced;
    await new Promise((res) => setTimeout(res, 50));
    expect(produced).toBe(producedAtCancel);
    expect(seen.slice(0, 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it('paces a fast producer by a slow consumer (backpressure)', async () => {
    const window = 8;
    let pushed = 0;
    let consumed = 0;
    let maxAhead = 0;
    h = await startHarness(transport, (r) =>
      r.stream('count', async ({ to }, sink) => {
        for (let i = 0; i < to; i++) {
          await sink.push(i);
          pushed += 1;
          maxAhead = Math.max(maxAhead, pushed - consumed);
        }
      }),
    );
    const handle = h.client.open(
      'count',
      { to: 200 },
      {
        onItem: async () => {
          await new Promise((res) => setTimeout(res, 2));
          consumed += 1;
        },
      },
      { window },
    );
    await handle.done;
    expect(consumed).toBe(200);
    // Without flow control the producer would finish all 200 before the consumer took the first few.
    expect(maxAhead).toBeLessThanOrEqual(window + 1);
  });

  it('carries client input into a stream and validates it', async () => {
    h = await startHarness(transport, (r) =>
      r.stream('echo', (_p, sink) => {
        return new Promise<void>((resolve) => {
          sink.onInput((text) => {
            if (text === 'exit') resolve();
            else void sink.push(text.toUpperCase());
          });
        });
      }),
    );
    const out: string[] = [];
    const handle = h.client.open('echo', {}, { onItem: (t) => void out.push(t) });
    handle.write('ls');
    handle.write('x'.repeat(500) as string); // fails the input schema: dropped, not echoed
    handle.write('pwd');
    handle.write('exit');
    await handle.done;
    expect(out).toEqual(['LS', 'PWD']);
  });

  it('aborts in-flight calls when the client cancels them', async () => {
    let sawAbort = false;
    h = await startHarness(transport, (r) =>
      r.call('slow', async ({ ms }, ctx) => {
        await new Promise((res) => setTimeout(res, ms));
        sawAbort = ctx.signal.aborted;
        return 'late';
      }),
    );
    const controller = new AbortController();
    const pending = h.client.call('slow', { ms: 100 }, { signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'cancelled' });
    await new Promise((res) => setTimeout(res, 150));
    expect(sawAbort).toBe(true);
  });
});
