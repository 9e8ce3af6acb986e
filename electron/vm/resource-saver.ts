import { EventEmitter } from 'node:events';
import { BerthError } from '../base/errors';
import type { ResourceSaverStatus } from '../contract/vm';

/** What Resource Saver drives: kept as plain functions so the engine decides how each is done. */
export interface ResourceSaverDeps {
  /** QMP `stop` (vCPUs halt, the guest's clock stops) and `cont`. */
  qmp(command: 'stop' | 'cont'): Promise<void>;
  /**
   * Guest work before the pause: drop the page cache so the guest's free page reporting hands that memory back
   * to the host while the VM sleeps.
   */
  prepare(): Promise<void>;
  /** The link to the guest learns of the pause (no keep-alives to a guest that cannot answer), and of its end. */
  hold(): void;
  release(): void;
  /** After every wake, not awaited by the request that woke it: set the guest's clock (it stood still). */
  afterWake(): void;
  /** True while the VM must stay up: a container runs, or the engine is not (yet) reachable. */
  busy(): boolean;
  /** The idle period in ms; 0 turns the idle pause off (a manual pause still works). */
  idleMs(): Promise<number>;
  log?(line: string): void;
}

const READY: Promise<void> = Promise.resolve();

/**
 * Resource Saver: pauses an idle VM and wakes it on the next request. Idle means no container running and no
 * request for the idle period. Every way into the guest awaits gate() first; while the VM runs that is one
 * already-resolved promise, while it is paused the first caller wakes it (QMP `cont`, a few ms) and all others
 * share that wake.
 */
export class ResourceSaver extends EventEmitter<{ state: [ResourceSaverStatus] }> {
  private state: ResourceSaverStatus['state'] = 'off';
  private lastActive = Date.now();
  private pausedAt: number | null = null;
  private pausing: Promise<void> | null = null;
  private waking: Promise<void> | null = null;
  private cancelPause = false;
  private timer: NodeJS.Timeout | null = null;
  private idle = 0;
  private wakes = 0;
  private lastWakeMs: number | undefined;

  constructor(
    private readonly deps: ResourceSaverDeps,
    private readonly tickMs = 1000,
  ) {
    super();
  }

  status(): ResourceSaverStatus {
    return {
      state: this.state,
      idleMinutes: this.idle / 60_000,
      ...(this.pausedAt !== null ? { pausedAt: new Date(this.pausedAt).toISOString() } : {}),
      wakes: this.wakes,
      ...(this.lastWakeMs !== undefined ? { lastWakeMs: this.lastWakeMs } : {}),
    };
  }

  get paused(): boolean {
    return this.state === 'paused' || this.state === 'pausing' || this.state === 'waking';
  }

  /** The engine is up: start watching for idleness (again). */
  start(): void {
    if (this.timer) return;
    this.lastActive = Date.now();
    this.setState('running');
    this.timer = setInterval(() => void this.tick(), this.tickMs);
    this.timer.unref();
  }

  /** The VM went away (stopped, crashed, restarting): nothing is paused any more. */
  reset(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.paused) this.deps.release();
    this.pausing = null;
    this.waking = null;
    this.pausedAt = null;
    this.setState('off');
  }

  /** A request reached the VM: the idle period starts again. */
  touch(): void {
    this.lastActive = Date.now();
  }

  /** Awaited by every entry point before it touches the guest. Cheap while running. */
  gate(): Promise<void> {
    this.touch();
    if (this.state === 'running' || this.state === 'off') return READY;
    return this.wake();
  }

  private async tick(): Promise<void> {
    if (this.state !== 'running') return;
    this.idle = await this.deps.idleMs().catch(() => 0);
    if (this.deps.busy()) this.touch();
    if (this.idle > 0 && Date.now() - this.lastActive >= this.idle) await this.pause('idle').catch(() => undefined);
  }

  /** Pause now (the idle timer, or `berth saver pause`). Resolves once the vCPUs are stopped. */
  pause(reason: 'idle' | 'manual'): Promise<void> {
    if (this.state === 'paused') return READY;
    if (this.state === 'off') return Promise.reject(new BerthError('unavailable', 'The VM is not running: nothing to pause', 'Start it with `berth start`.'));
    if (this.waking) return this.waking.then(() => this.pause(reason));
    return (this.pausing ??= this.doPause(reason).finally(() => (this.pausing = null)));
  }

  private async doPause(reason: 'idle' | 'manual'): Promise<void> {
    this.cancelPause = false;
    this.setState('pausing');
    const t0 = Date.now();
    try {
      await this.deps.prepare();
      // A request that came while the guest dropped its caches, or work that started meanwhile, keeps the VM
      // running (an idle pause only).
      if (reason === 'idle' && (this.cancelPause || this.deps.busy())) {
        this.setState('running');
        return;
      }
      this.deps.hold();
      await this.deps.qmp('stop');
    } catch (err) {
      this.deps.release();
      this.setState('running');
      this.deps.log?.(`resource saver: pause failed: ${(err as Error).message}`);
      throw err instanceof BerthError ? err : new BerthError('vm', `Could not pause the VM: ${(err as Error).message}`);
    }
    if (this.state !== 'pausing') return; // reset() while pausing: the VM is gone
    this.pausedAt = Date.now();
    this.setState('paused');
    this.deps.log?.(`resource saver: VM paused (${reason}) in ${Date.now() - t0} ms`);
  }

  /** Wake the VM (idempotent: concurrent callers share one wake). */
  wake(): Promise<void> {
    if (this.state === 'running' || this.state === 'off') return READY;
    if (this.pausing) {
      this.cancelPause = true;
      return this.pausing.catch(() => undefined).then(() => this.wake());
    }
    return (this.waking ??= this.doWake().finally(() => (this.waking = null)));
  }

  private async doWake(): Promise<void> {
    const t0 = performance.now();
    this.setState('waking');
    try {
      await this.deps.qmp('cont');
    } catch (err) {
      this.setState('paused');
      throw new BerthError('vm', `Could not wake the VM: ${(err as Error).message}`, 'See `berth status` and `berth logs`; `berth restart` boots it again.');
    }
    if (this.state !== 'waking') return;
    this.deps.release();
    this.lastWakeMs = Math.round((performance.now() - t0) * 10) / 10;
    this.wakes++;
    this.pausedAt = null;
    this.touch();
    this.setState('running');
    this.deps.afterWake();
  }

  private setState(s: ResourceSaverStatus['state']): void {
    if (this.state === s) return;
    this.state = s;
    this.emit('state', this.status());
  }
}
