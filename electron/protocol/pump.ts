/**
 * The one loop behind every agent stream that forwards a changing source to a client: take what is ready, push
 * it (push waits for the client's credit), then sleep until the source or a cancel wakes it. What piles up while
 * the client is behind is the source's choice — the latest value, a bounded queue, a coalesced set — so a slow
 * client costs the agent a bounded amount, never a backlog.
 */

/** Where a pump sends: a stream sink, whose push resolves when the client has credit, and its cancel signal. */
export interface PumpSink<T> {
  push(item: T): Promise<void>;
  signal: AbortSignal;
}

export interface PumpSource<T> {
  /** The next item to send now; undefined when there is nothing yet. */
  take(): T | undefined;
  /** True once nothing more will come; asked only when take() had nothing. */
  ended?(): boolean;
  /** Calls wake whenever take() may have something new; returns the unsubscribe. */
  listen(wake: () => void): () => void;
}

export async function pump<T>(sink: PumpSink<T>, source: PumpSource<T>): Promise<void> {
  let sleeper: (() => void) | undefined;
  let woken: boolean;
  const wake = () => {
    woken = true;
    sleeper?.();
  };
  const unlisten = source.listen(wake);
  sink.signal.addEventListener('abort', wake, { once: true });
  try {
    while (!sink.signal.aborted) {
      woken = false;
      const item = source.take();
      if (item !== undefined) {
        await sink.push(item);
        continue;
      }
      if (source.ended?.()) break;
      if (!woken) await new Promise<void>((resolve) => (sleeper = resolve));
      sleeper = undefined;
    }
  } catch (err) {
    // A push rejects once the client cancels; that is the end of the stream, not a failure.
    if (!sink.signal.aborted) throw err;
  } finally {
    sink.signal.removeEventListener('abort', wake);
    unlisten();
  }
}

/** Anything with a current value and change listeners (the agent's Observable fits). */
export interface ValueSource<T> {
  readonly value: T;
  subscribe(listener: (value: T) => void): () => void;
}

/**
 * The current value first, then only the latest whenever the client is ready for more. Intermediate values are
 * dropped on purpose: a slow client wants the present state, not a history of past ones.
 */
export function pushLatest<T>(source: ValueSource<T>, sink: PumpSink<T>): Promise<void> {
  let pending = true;
  return pump(sink, {
    take: () => {
      if (!pending) return undefined;
      pending = false;
      return source.value;
    },
    listen: (wake) =>
      source.subscribe(() => {
        pending = true;
        wake();
      }),
  });
}

/**
 * A bounded queue of lines for one reader: batches of whatever arrived since the last push; past `limit` the
 * oldest lines are dropped and counted, so a reader slower than the producer loses history, never the agent's
 * memory.
 */
export class DropOldestLines {
  private lines: string[] = [];
  private dropped = 0;

  constructor(private readonly limit: number) {}

  add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.limit) {
      this.dropped += this.lines.length - this.limit;
      this.lines = this.lines.slice(-this.limit);
    }
  }

  /** Everything queued, with the count dropped since the last take; undefined when empty. */
  take(): { lines: string[]; dropped?: number } | undefined {
    if (!this.lines.length) return undefined;
    const batch = { lines: this.lines, ...(this.dropped ? { dropped: this.dropped } : {}) };
    this.lines = [];
    this.dropped = 0;
    return batch;
  }
}
