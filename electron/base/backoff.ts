/**
 * One pending retry at a time, each later than the last (doubling from `firstMs` up to `maxMs`), until reset:
 * for work that fails because of something outside Berth that may change any moment (a port another program
 * holds), tried again soon at first and rarely after a while.
 */
export class Backoff {
  private timer: NodeJS.Timeout | null = null;
  private delay: number;

  constructor(
    private readonly firstMs: number,
    private readonly maxMs: number,
  ) {
    this.delay = firstMs;
  }

  /** Runs `fn` after the current delay, unless a retry is already pending. */
  schedule(fn: () => void): void {
    if (this.timer) return;
    const delay = this.delay;
    this.delay = Math.min(this.maxMs, this.delay * 2);
    this.timer = setTimeout(() => {
      this.timer = null;
      fn();
    }, delay);
    this.timer.unref();
  }

  /** Cancels a pending retry and starts the delays over. */
  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.delay = this.firstMs;
  }
}
