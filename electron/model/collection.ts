import type { CollectionEvent } from '../contract/model';
import { pump, type PumpSink } from '../protocol/pump';

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
  watch(sink: PumpSink<CollectionEvent<T>>): Promise<void> {
    const w: Watcher = { epoch: -1, dirty: new Set() };
    // A snapshot larger than one frame goes out as a snapshot chunk followed by delta chunks.
    let chunks: CollectionEvent<T>[] = [];
    return pump(sink, {
      take: () => {
        if (w.epoch !== this.epoch) {
          w.epoch = this.epoch;
          w.dirty.clear();
          const all = this.values();
          chunks = [{ kind: 'snapshot', ready: this.readyValue, items: all.slice(0, CHUNK) }];
          for (let i = CHUNK; i < all.length; i += CHUNK)
            chunks.push({ kind: 'delta', upserts: all.slice(i, i + CHUNK), removes: [] });
        }
        if (chunks.length) return chunks.shift();
        if (!w.dirty.size) return undefined;
        const ids = [...w.dirty].slice(0, CHUNK);
        const upserts: T[] = [];
        const removes: string[] = [];
        for (const id of ids) {
          w.dirty.delete(id);
          const item = this.items.get(id);
          if (item) upserts.push(item);
          else removes.push(id);
        }
        return { kind: 'delta', upserts, removes };
      },
      listen: (wake) => {
        w.wake = wake;
        this.watchers.add(w);
        return () => this.watchers.delete(w);
      },
    });
  }
}
