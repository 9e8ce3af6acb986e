import type { DataDiskUsage } from '../contract/vm';
import { DISK_USAGE_COMMAND, parseDiskUsage } from './guest-df';
import type { Tunnel } from './tunnel';

const EVERY_MS = 30_000;

export interface DiskWatchParts {
  tunnel(): Tunnel | null;
  /** A paused VM is left asleep: measuring is housekeeping, not use. */
  paused(): boolean;
  /** Called when the measured figure changed (the engine re-sends its status). */
  changed(): void;
}

/** The data disk's use (df in the guest), measured when the engine becomes ready and every 30 s while it stays so. */
export class DiskWatch {
  private value: DataDiskUsage | undefined;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly p: DiskWatchParts) {}

  get usage(): DataDiskUsage | undefined {
    return this.value;
  }

  /** Starts measuring when the engine is ready, stops when it is not. */
  follow(ready: boolean): void {
    this.stop();
    if (!ready) return;
    this.measure();
    this.timer = setInterval(() => this.measure(), EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    // A figure from before a restart says nothing about the disk now.
    this.value = undefined;
  }

  private measure(): void {
    // Housekeeping: it neither wakes a paused VM nor counts as use that keeps it awake.
    if (this.p.paused()) return;
    void this.p
      .tunnel()
      ?.exec(DISK_USAGE_COMMAND, { background: true })
      .then((r) => {
        const usage = r.code === 0 ? parseDiskUsage(r.stdout) : null;
        if (usage && JSON.stringify(usage) !== JSON.stringify(this.value)) {
          this.value = usage;
          this.p.changed();
        }
      })
      .catch(() => undefined);
  }
}
