/**
 * Collects what arrives between two frames and hands it over once per animation frame: a burst of 50 log
 * batches costs one React update, not 50.
 */
export function frameBatcher<T>(apply: (items: T[]) => void, opts: { budgetMs?: number } = {}): { push(item: T): void; cancel(): void } {
  let pending: T[] = [];
  let frame = 0;
  const flush = () => {
    frame = 0;
    if (opts.budgetMs === undefined) {
      const items = pending;
      pending = [];
      apply(items);
      return;
    }
    // With a budget, a backlog (after the tab was busy or hidden) drains over several frames, never in one long task.
    const start = performance.now();
    let n = 0;
    while (n < pending.length && (n === 0 || performance.now() - start < opts.budgetMs)) {
      apply([pending[n]]);
      n += 1;
    }
    pending = pending.slice(n);
    if (pending.length) frame = requestAnimationFrame(flush);
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
