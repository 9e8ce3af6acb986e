/**
 * Collects what arrives between two frames and hands it over once per animation frame: a burst of 50 log
 * batches costs one React update, not 50.
 */
export function frameBatcher<T>(apply: (items: T[]) => void): { push(item: T): void; cancel(): void } {
  let pending: T[] = [];
  let frame = 0;
  const flush = () => {
    frame = 0;
    const items = pending;
    pending = [];
    apply(items);
  };
  return {
    push(item) {
      pending.push(item);
      frame ||= requestAnimationFrame(flush);
    },
    cancel() {
      cancelAnimationFrame(frame);
      frame = 0;
      pending = [];
    },
  };
}
