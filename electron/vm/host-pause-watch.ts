/**
 * Notices when the host itself stood still — a laptop's sleep (the wall clock ran on, the monotonic clock did
 * not) or this process stopped (a timer fires seconds late) — so the guest's clock can be corrected at once
 * instead of drifting until something else notices.
 */
export class HostPauseWatch {
  private timer: NodeJS.Timeout | null = null;
  private lastWall = 0;
  private lastMono = 0;

  constructor(
    private readonly onJump: (gapMs: number) => void,
    private readonly everyMs = 2000,
    private readonly thresholdMs = 2000,
  ) {}

  start(): void {
    if (this.timer) return;
    this.lastWall = Date.now();
    this.lastMono = performance.now();
    this.timer = setInterval(() => this.check(), this.everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private check(): void {
    const wall = Date.now();
    const mono = performance.now();
    const wallGap = wall - this.lastWall - this.everyMs;
    const monoGap = mono - this.lastMono - this.everyMs;
    this.lastWall = wall;
    this.lastMono = mono;
    const gap = Math.max(wallGap, monoGap);
    if (gap > this.thresholdMs) this.onJump(gap);
  }
}
