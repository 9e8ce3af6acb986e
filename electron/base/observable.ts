/** A value that changes over time, with listeners: the agent's live model is built from these. */
export class Observable<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private current: T) {}

  get value(): T {
    return this.current;
  }

  set(value: T): void {
    this.current = value;
    for (const listener of [...this.listeners]) listener(value);
  }

  subscribe(listener: (value: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/**
 * Feeds a stream sink from an observable: the current value first, then only the latest value whenever the
 * client is ready for more. Intermediate values are dropped on purpose: a slow client wants the present state,
 * not a backlog of past ones.
 */
export async function pushLatest<T>(
  source: Observable<T>,
  sink: { push(item: T): Promise<void>; signal: AbortSignal },
): Promise<void> {
  let pending = true;
  let wake: (() => void) | undefined;
  const unsubscribe = source.subscribe(() => {
    pending = true;
    wake?.();
  });
  const aborted = new Promise<void>((resolve) => sink.signal.addEventListener('abort', () => resolve(), { once: true }));
  try {
    while (!sink.signal.aborted) {
      if (!pending) {
        await Promise.race([new Promise<void>((resolve) => (wake = resolve)), aborted]);
        wake = undefined;
        continue;
      }
      pending = false;
      await sink.push(source.value);
    }
  } catch (err) {
    if (!sink.signal.aborted) throw err;
  } finally {
    unsubscribe();
  }
}
