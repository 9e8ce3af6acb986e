import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CollectionEvent } from '../../../electron/contract/model';

export interface CollectionState<T> {
  /** False until the first snapshot arrives (loading), and while the connection is down. */
  loaded: boolean;
  /** False while no engine answers: the list is empty because the engine is away. */
  ready: boolean;
  byId: ReadonlyMap<string, T>;
  /** Bumped on every applied change; cheap to compare in selectors. */
  version: number;
}

export type CollectionStore<T> = StoreApi<
  CollectionState<T> & { apply(event: CollectionEvent<T>): void; applyMany(events: CollectionEvent<T>[]): void; lost(): void }
>;

/** One store per domain, fed by its `*.watch` stream: a snapshot replaces, a delta patches. */
export function createCollectionStore<T extends { id: string }>(): CollectionStore<T> {
  return createStore((set, get) => ({
    loaded: false,
    ready: false,
    byId: new Map<string, T>(),
    version: 0,
    apply(event: CollectionEvent<T>) {
      get().applyMany([event]);
    },
    /** Everything that arrived during one frame, as one state change (one render of the list). */
    applyMany(events: CollectionEvent<T>[]) {
      if (!events.length) return;
      let { ready, loaded } = get();
      let next = new Map(get().byId);
      for (const event of events) {
        if (event.kind === 'snapshot') {
          next = new Map(event.items.map((i) => [i.id, i]));
          ready = event.ready;
          loaded = true;
          continue;
        }
        for (const item of event.upserts) next.set(item.id, item);
        for (const id of event.removes) next.delete(id);
      }
      set({ loaded, ready, byId: next, version: get().version + 1 });
    },
    lost() {
      set({ loaded: false });
    },
  }));
}
