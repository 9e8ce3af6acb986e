import type { CollectionEvent } from '../contract/model';

interface Watcher {
  /** The epoch of the last snapshot this watcher got; behind the collection's: it needs a new snapshot. */
  epoch: number;
  dirty: Set<string>;
  wake?: () => void;
}

/** Items per frame: keeps a snapshot of thousands of containers well under the protocol's frame limit. */
const CHUNK = 500;

/**
 * A keyed set of items that many clients watch. Each watcher gets a snapshot, then only the ids that changed
 * since its last push, with their values at push time: a burst of engine events for one container costs a
 * slow client one upsert, not a backlog.
 */
export class Collection<T extends { id: string }> {
  private readonly items = new Map<string, T>();
  private readonly watchers = new Set<Watcher>();
  private epoch = 0;
  private readyValue = false;

  get ready(): boolean {
    return this.readyValue;
  }

  values(): T[] {
    return [...this.items.values()];
  }

  get(id: string): T | undefined {
    return this.items.get(id);
  }

  /** Replaces everything (a full re-list after (re)connecting, or the engine going away). */
  replaceAll(items: T[], ready: boolean): void {
    this.items.clear();
    for (const item of items) this.items.set(item.id, item);
    this.readyValue = ready;
    this.epoch += 1;
    for (const w of this.watchers) {
      w.dirty.clear();
      w.wake?.();
    }
  }

  upsert(item: T): void {
    this.items.set(item.id, item);
    this.touch(item.id);
  }

  remove(id: string): void {
    if (this.items.delete(id)) this.touch(id);
  }

  private touch(id: string): void {
    for (const w of this.watchers) {
      w.dirty.add(id);
      w.wake?.();
    }
  }

  /** Feeds one client until it cancels; push() waits for the client's credit, which is where coalescing happens. */
  async watch(sink: { push(item: CollectionEvent<T>): Promise<void>; signal: AbortSignal }): Promise<void> {
    const w: Watcher = { epoch: -1, dirty: new Set() };
    this.watchers.add(w);
    const aborted = new Promise<void>((r) => sink.signal.addEventListener('abort', () => r(), { once: true }));
    try {
      while (!sink.signal.aborted) {
        if (w.epoch !== this.epoch) {
          w.epoch = this.epoch;
          w.dirty.clear();
          const all = this.values();
          await sink.push({ kind: 'snapshot', ready: this.readyValue, items: all.slice(0, CHUNK) });
          for (let i = CHUNK; i < all.length; i += CHUNK) {
            await sink.push({ kind: 'delta', upserts: all.slice(i, i + CHUNK), removes: [] });
          }
          continue;
        }
        if (w.dirty.size) {
          const ids = [...w.dirty].slice(0, CHUNK);
          for (const id of ids) w.dirty.delete(id);
          const upserts: T[] = [];
          const removes: string[] = [];
          for (const id of ids) {
            const item = this.items.get(id);
            if (item) upserts.push(item);
            else removes.push(id);
          }
          await sink.push({ kind: 'delta', upserts, removes });
          continue;
        }
        await Promise.race([new Promise<void>((r) => (w.wake = r)), aborted]);
        w.wake = undefined;
      }
    } catch (err) {
      if (!sink.signal.aborted) throw err;
    } finally {
      this.watchers.delete(w);
    }
  }
}
