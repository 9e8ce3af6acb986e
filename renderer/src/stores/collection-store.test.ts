import { describe, expect, it } from 'vitest';
import { createCollectionStore } from './collection-store';

interface Item {
  id: string;
  v: number;
}

describe('a domain store fed by a watch stream', () => {
  it('replaces on a snapshot and patches on deltas', () => {
    const s = createCollectionStore<Item>();
    expect(s.getState().loaded).toBe(false);
    s.getState().apply({ kind: 'snapshot', ready: true, items: [{ id: 'a', v: 1 }, { id: 'b', v: 1 }] });
    expect(s.getState()).toMatchObject({ loaded: true, ready: true });
    expect([...s.getState().byId.keys()]).toEqual(['a', 'b']);
    s.getState().apply({ kind: 'delta', upserts: [{ id: 'a', v: 2 }, { id: 'c', v: 1 }], removes: ['b'] });
    expect([...s.getState().byId.values()]).toEqual([{ id: 'a', v: 2 }, { id: 'c', v: 1 }]);
  });

  it('a new snapshot (after a reconnect) drops what is gone', () => {
    const s = createCollectionStore<Item>();
    s.getState().apply({ kind: 'snapshot', ready: true, items: [{ id: 'a', v: 1 }] });
    s.getState().apply({ kind: 'snapshot', ready: false, items: [] });
    expect(s.getState().byId.size).toBe(0);
    expect(s.getState().ready).toBe(false);
  });

  it('hands out a new map on every change, so selectors see it', () => {
    const s = createCollectionStore<Item>();
    s.getState().apply({ kind: 'snapshot', ready: true, items: [] });
    const before = s.getState().byId;
    s.getState().apply({ kind: 'delta', upserts: [{ id: 'x', v: 1 }], removes: [] });
    expect(s.getState().byId).not.toBe(before);
    expect(before.size).toBe(0);
  });

  it('applies a frame of events as one change', () => {
    const s = createCollectionStore<Item>();
    let changes = 0;
    s.subscribe(() => changes++);
    s.getState().applyMany([
      { kind: 'snapshot', ready: true, items: [{ id: 'a', v: 1 }] },
      { kind: 'delta', upserts: [{ id: 'a', v: 2 }, { id: 'b', v: 1 }], removes: [] },
      { kind: 'delta', upserts: [], removes: ['b'] },
    ]);
    expect(changes).toBe(1);
    expect(s.getState()).toMatchObject({ loaded: true, ready: true });
    expect([...s.getState().byId.values()]).toEqual([{ id: 'a', v: 2 }]);
  });

  it('marks itself not loaded when the connection is lost', () => {
    const s = createCollectionStore<Item>();
    s.getState().apply({ kind: 'snapshot', ready: true, items: [{ id: 'a', v: 1 }] });
    s.getState().lost();
    expect(s.getState().loaded).toBe(false);
  });
});
