import { describe, expect, it } from 'vitest';
import { Collection } from './collection';
import type { CollectionEvent } from '../contract/model';

interface Item {
  id: string;
  v: number;
}

/** A client that takes items only when told to: the way a slow UI's credit paces the agent. */
function slowClient() {
  const got: CollectionEvent<Item>[] = [];
  const ctrl = new AbortController();
  let release: (() => void) | null = null;
  const sink = {
    signal: ctrl.signal,
    push: (e: CollectionEvent<Item>) => {
      got.push(e);
      return new Promise<void>((r) => (release = r));
    },
  };
  return {
    got,
    sink,
    next: async () => {
      const r = release;
      release = null;
      r?.();
      await new Promise((r2) => setTimeout(r2, 0));
    },
    stop: () => ctrl.abort(),
  };
}

describe('a watched collection', () => {
  it('sends a snapshot, then coalesces a burst into one delta with the latest values', async () => {
    const col = new Collection<Item>();
    col.replaceAll([{ id: 'a', v: 0 }], true);
    const c = slowClient();
    const done = col.watch(c.sink);
    await new Promise((r) => setTimeout(r, 0));
    expect(c.got).toEqual([{ kind: 'snapshot', ready: true, items: [{ id: 'a', v: 0 }] }]);
    for (let v = 1; v <= 100; v++) col.upsert({ id: 'a', v });
    col.upsert({ id: 'b', v: 1 });
    col.remove('b');
    await c.next();
    expect(c.got.slice(1)).toEqual([{ kind: 'delta', upserts: [{ id: 'a', v: 100 }], removes: ['b'] }]);
    c.stop();
    await c.next();
    await done;
  });

  it('chunks a large snapshot so no frame grows without bound', async () => {
    const col = new Collection<Item>();
    col.replaceAll(Array.from({ length: 2000 }, (_, i) => ({ id: String(i), v: i })), true);
    const c = slowClient();
    const done = col.watch(c.sink);
    for (let i = 0; i < 5; i++) await c.next();
    const sizes = c.got.map((e) => (e.kind === 'snapshot' ? e.items.length : e.upserts.length));
    expect(sizes).toEqual([500, 500, 500, 500]);
    expect(c.got[0].kind).toBe('snapshot');
    c.stop();
    await c.next();
    await done;
  });

  it('sends a fresh snapshot after the engine reconnects', async () => {
    const col = new Collection<Item>();
    col.replaceAll([{ id: 'a', v: 1 }], true);
    const c = slowClient();
    const done = col.watch(c.sink);
    await new Promise((r) => setTimeout(r, 0));
    col.replaceAll([], false);
    await c.next();
    expect(c.got[1]).toEqual({ kind: 'snapshot', ready: false, items: [] });
    c.stop();
    await c.next();
    await done;
  });
});
