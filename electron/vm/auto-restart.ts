/**
 * Restarts a VM that stopped unexpectedly, with backoff: 2 s, 4 s, ... up to a minute. A VM that stayed up for
 * two minutes is healthy again, so its next crash restarts quickly.
 */
export class AutoRestart {
  private timer: NodeJS.Timeout | null = null;
  private healthyTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(private readonly restart: () => void) {}

  /** Schedules the next restart; returns its delay. */
  schedule(): number {
    const delay = Math.min(60_000, 2000 * 2 ** this.failures);
    this.failures++;
    this.cancel();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.restart();
    }, delay);
    return delay;
  }

  /** A user start or stop takes over from a pending restart. */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The VM booted: after two healthy minutes, forget the failures. */
  booted(): void {
    if (this.healthyTimer) clearTimeout(this.healthyTimer);
    this.healthyTimer = setTimeout(() => (this.failures = 0), 120_000);
    this.healthyTimer.unref();
  }

  dispose(): void {
    this.cancel();
    if (this.healthyTimer) clearTimeout(this.healthyTimer);
  }
}
