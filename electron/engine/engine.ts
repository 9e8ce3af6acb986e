import { EventEmitter } from 'node:events';
import type Docker from 'dockerode';
import type { BerthPaths } from '../base/paths';
import { BerthError } from '../base/errors';
import type { SettingsStore } from '../settings/store';
import type { ConsoleEvent, GuestProvider } from '../vm/guest';
import { VirtualMachine } from '../vm/machine';
import type { BootProgress, VmDetail } from '../contract/vm';
import { createDocker, type TunnelAgent } from './docker';
import { DiskWatch } from './disk-watch';
import { HostAccess } from './host-access';
import { HostKeyPin, ensureClientKey } from './ssh-keys';
import { bootProgress } from './status-map';
import { STOP_BASE_MS, stopBudgetMs } from './stop-budget';
import { Tunnel } from './tunnel';
import { qemuSpawned } from './qemu-spawned';
import { unresponsiveProblem } from './unresponsive';
import { linkResourceSaver, type SaverLink } from './saver-link';
import type { ResourceSaver } from '../vm/resource-saver';

export interface EngineOptions {
  paths: BerthPaths;
  settings: SettingsStore;
  guest: GuestProvider;
  /** Environment for the docker CLI when writing the context (tests point DOCKER_CONFIG elsewhere). */
  env?: NodeJS.ProcessEnv;
  probeDeadlineMs?: number;
  engineTimeoutMs?: number;
  /** The agent's log (Resource Saver's pauses and wakes, guest clock corrections). */
  log?: (line: string) => void;
}

/**
 * What the agent holds: the VM, the one SSH tunnel into it, dockerode over that tunnel, and the host docker
 * socket. Survives VM restarts: the tunnel reconnects to whatever port the new boot forwards.
 */
export class Engine extends EventEmitter<{ status: [VmDetail] }> {
  readonly vm: VirtualMachine;
  readonly pin: HostKeyPin;
  private tunnelValue: Tunnel | null = null;
  private dockerValue: Docker | null = null;
  private agent: TunnelAgent | null = null;
  private ready = false;
  private version: { version?: string; apiVersion?: string } = {};
  private problem: VmDetail['problem'];
  /** The engine's boot stages once the VM runs (tunnel, engine), shown as the boot's progress. */
  private boot: BootProgress | undefined;
  private startPromise: Promise<VmDetail> | null = null;
  private readonly saverLink: SaverLink;
  private readonly host: HostAccess;
  private readonly disk: DiskWatch;

  constructor(private readonly o: EngineOptions) {
    super();
    this.setMaxListeners(0);
    this.host = new HostAccess({ paths: o.paths, settings: o.settings, env: o.env, served: () => this.emitStatus() });
    this.disk = new DiskWatch({ tunnel: () => this.tunnelValue, paused: () => this.saver.paused, changed: () => this.emitStatus() });
    this.pin = HostKeyPin.in(o.paths.vm);
    this.vm = new VirtualMachine({
      paths: o.paths,
      settings: () => o.settings.get(),
      guest: o.guest,
      authorizedKey: async () => (await ensureClientKey(o.paths.vm)).publicKey,
      probeDeadlineMs: o.probeDeadlineMs,
    });
    this.vm.on('guest', (ev) => {
      // The console is the one channel no network peer can write to: what it reports is the key to pin.
      if (ev.kind === 'hostkey') void this.pin.set(ev.key).catch(() => undefined);
      if (ev.kind === 'stage' && ev.stage === 'engine-ready' && this.tunnelValue?.state === 'connected') void this.checkEngine();
    });
    this.saverLink = linkResourceSaver({
      vm: this.vm,
      tunnel: () => this.tunnelValue,
      agent: () => this.agent,
      engineUp: () => this.ready && this.tunnelValue?.state === 'connected',
      clientsConnected: () => this.host.openConnections > 0,
      settings: o.settings,
      log: o.log,
    });
    this.saverLink.saver.on('state', () => this.emitStatus());
    this.vm.on('status', (s) => {
      if (s.state !== 'running') {
        this.saver.reset();
        this.setReady(false);
      }
      if (s.state === 'running') this.tunnelValue?.retryNow();
      this.emitStatus();
    });
  }

  /** The one settings store: other domains subscribe to its changes. */
  get settings(): SettingsStore {
    return this.o.settings;
  }

  get tunnel(): Tunnel {
    if (!this.tunnelValue) throw new BerthError('unavailable', 'The engine has not been started', 'Run `berth start`.');
    return this.tunnelValue;
  }

  /** Resource Saver: the idle pause, the gate every way into the guest awaits, the manual pause and wake. */
  get saver(): ResourceSaver {
    return this.saverLink.saver;
  }

  /** Running containers keep the VM from pausing (the engine model knows them). */
  setWorkload(busy: () => boolean): void {
    this.saverLink.setWorkload(busy);
  }

  get docker(): Docker {
    if (!this.dockerValue) throw new BerthError('unavailable', 'The engine has not been started', 'Run `berth start`.');
    return this.dockerValue;
  }

  status(): VmDetail {
    const vm = this.vm.status();
    const problem = this.problem ?? unresponsiveProblem(vm, this.tunnelValue?.silentForMs ?? 0);
    const disk = this.disk.usage;
    return {
      vm,
      tunnel: this.tunnelValue?.state ?? 'idle',
      engine: { ready: this.ready, ...this.version },
      dockerSocket: this.host.socketPath,
      ...(problem ? { problem } : {}),
      ...(this.boot ? { boot: this.boot } : {}),
      ...(disk && this.ready ? { disk } : {}),
      saver: this.saver.status(),
    };
  }

  /** While the VM is silent, the status is re-sent every few seconds so "no answer for N s" stays true. */
  private silenceTicker: NodeJS.Timeout | null = null;

  private followSilence(): void {
    const silent = this.tunnelValue !== null && this.tunnelValue.state !== 'connected' && this.vm.status().state === 'running';
    if (silent && !this.silenceTicker) {
      this.silenceTicker = setInterval(() => this.emitStatus(), 2000);
      this.silenceTicker.unref();
    } else if (!silent && this.silenceTicker) {
      clearInterval(this.silenceTicker);
      this.silenceTicker = null;
    }
  }

  private emitStatus(): void {
    this.emit('status', this.status());
  }

  private setReady(r: boolean): void {
    if (this.ready === r) return;
    this.ready = r;
    this.disk.follow(r);
    this.emitStatus();
    // However the engine got ready — a start, a reconnect, a dockerd that recovered by itself — the host socket
    // and the docker context follow.
    if (r) {
      this.saver.start();
      void this.serveHostSocket().catch((err: Error) => {
        this.problem = { code: 'socket', message: `Could not serve the docker socket ${this.o.paths.dockerSocket}: ${err.message}`, hint: 'Is another Berth agent using this BERTH_HOME? `berth status` says.' };
        this.emitStatus();
      });
    }
  }

  /** The host socket for the tunnel of this boot, and the docker context (both once; again after a stop). */
  private serveHostSocket(): Promise<void> {
    const tunnel = this.tunnelValue;
    if (!tunnel) return Promise.resolve();
    // The folders this boot mounted, not the settings: a settings change applies on the next boot.
    return this.host.serve(tunnel, () => this.vm.info?.shares.map((s) => s.path) ?? null);
  }

  /**
   * Resolves when the guest says its engine is ready, when the engine has answered another check (the one after
   * the tunnel connected often does, before the console line arrives), or after ms, whichever comes first.
   */
  private engineReadyOr(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const onGuest = (ev: ConsoleEvent) => ev.kind === 'stage' && ev.stage === 'engine-ready' && done();
      const onStatus = (s: VmDetail) => s.engine.ready && done();
      const timer = setTimeout(() => done(), ms);
      const done = () => {
        clearTimeout(timer);
        this.vm.off('guest', onGuest);
        this.off('status', onStatus);
        resolve();
      };
      this.vm.on('guest', onGuest);
      this.on('status', onStatus);
    });
  }

  private async ensureTunnel(): Promise<Tunnel> {
    if (this.tunnelValue) return this.tunnelValue;
    const key = await ensureClientKey(this.o.paths.vm);
    const t = new Tunnel({ target: () => this.vm.sshTarget(), privateKey: key.privateKey, pin: this.pin });
    t.on('state', () => {
      this.followSilence();
      this.emitStatus();
    });
    t.on('refused', (e) => {
      this.problem = { code: e.code, message: e.message, hint: e.hint };
      this.setReady(false);
      this.emitStatus();
    });
    t.on('disconnected', () => this.setReady(false));
    // After a drop the engine is back as soon as the channel works again: no user action.
    t.on('connected', () => {
      this.problem = undefined;
      // After a drop the guest may have stood still (QEMU stopped by a signal, a stalled host): its clock too.
      this.saverLink.fixClock('after the tunnel connected');
      void this.checkEngine();
    });
    t.setGate(() => this.saver.gate());
    const { docker, agent } = createDocker(t, undefined, () => this.saver.touch());
    this.tunnelValue = t;
    this.dockerValue = docker;
    this.agent = agent;
    return t;
  }

  private async checkEngine(): Promise<boolean> {
    if (!this.dockerValue) return false;
    try {
      const v = await this.dockerValue.version();
      this.version = { version: v.Version, apiVersion: v.ApiVersion };
      this.setReady(true);
      return true;
    } catch {
      this.setReady(false);
      this.scheduleEngineCheck();
      return false;
    }
  }

  private engineCheckTimer: NodeJS.Timeout | null = null;

  /**
   * After a reconnect or an automatic VM restart dockerd may still be starting: keep asking while the tunnel
   * is up, so `ready` comes back with no user action.
   */
  private scheduleEngineCheck(): void {
    if (this.engineCheckTimer || this.ready || this.tunnelValue?.state !== 'connected') return;
    this.engineCheckTimer = setTimeout(() => {
      this.engineCheckTimer = null;
      if (!this.ready && this.vm.status().state === 'running') void this.checkEngine();
    }, 1000);
    this.engineCheckTimer.unref();
  }

  /**
   * Boots the VM and waits for the engine. onProgress gets every step of this boot in the one BootProgress shape
   * (the same steps every status.watch client sees), ending with stage 'ready'.
   */
  start(onProgress?: (p: BootProgress) => void): Promise<VmDetail> {
    let last = '';
    const onStatus = (s: VmDetail) => {
      const p = bootProgress(s);
      const key = p && JSON.stringify(p);
      if (p && key !== last) onProgress?.(p);
      last = key ?? last;
    };
    if (onProgress) this.on('status', onStatus);
    // Joining a boot under way (the agent began it at launch): its current step first, then the rest.
    if (onProgress && this.startPromise) onStatus(this.status());
    const p = (this.startPromise ??= this.doStart().finally(() => {
      this.startPromise = null;
      this.setBoot(undefined);
    }));
    return p
      .then((detail) => {
        onProgress?.({ stage: 'ready', percent: 100, detail: `engine ${detail.engine.version ?? ''} in ${(this.bootMs / 1000).toFixed(1)} s` });
        return detail;
      })
      .finally(() => this.off('status', onStatus));
  }

  private bootMs = 0;

  private setBoot(boot: BootProgress | undefined): void {
    this.boot = boot;
    this.emitStatus();
  }

  private async doStart(): Promise<VmDetail> {
    const t0 = Date.now();
    const booted = this.vm.start();
    // The tunnel with dockerode (~0.1-0.3 s to load here) and the docker context (two docker CLI runs, ~0.1-0.3 s
    // each) are made once QEMU runs, so that they overlap the guest's boot instead of delaying QEMU's spawn.
    const spawned = qemuSpawned(this.vm, booted);
    const tunnelMade = spawned.then(() => this.ensureTunnel());
    tunnelMade.catch(() => undefined); // a failed boot is the error to report; this one is awaited below
    const context = spawned.then(() => this.host.ensureContext());
    await booted;
    const tunnel = await tunnelMade;
    this.setBoot({ stage: 'tunnel', percent: 98, detail: 'connecting over SSH' });
    tunnel.start();
    tunnel.retryNow();
    await tunnel.connect(30_000);
    this.setBoot({ stage: 'engine', percent: 99, detail: 'waiting for dockerd' });
    const deadline = Date.now() + (this.o.engineTimeoutMs ?? 120_000);
    while (!(this.ready || (await this.checkEngine()))) {
      if (Date.now() > deadline) {
        throw new BerthError('engine', 'The VM is up but dockerd does not answer', 'See `berth logs` (the console) for dockerd errors.');
      }
      if (this.vm.status().state !== 'running') {
        throw new BerthError('vm', 'The VM stopped while waiting for the engine', 'See `berth logs`.');
      }
      await this.engineReadyOr(300);
    }
    await this.serveHostSocket();
    await context;
    this.bootMs = Date.now() - t0;
    this.boot = undefined;
    this.emitStatus();
    return this.status();
  }

  async stop(): Promise<void> {
    const pendingStart = this.startPromise;
    if (pendingStart) {
      // Stopping mid-boot cancels the boot rather than waiting for it to finish first.
      await this.vm.stop({ timeoutMs: STOP_BASE_MS });
      await pendingStart.catch(() => undefined);
    }
    // A paused guest would not see the power button: wake it, then stop as usual.
    await this.saver.wake().catch(() => undefined);
    this.saver.reset();
    const budget = await stopBudgetMs(this.ready ? this.dockerValue : null);
    if (this.engineCheckTimer) clearTimeout(this.engineCheckTimer);
    this.engineCheckTimer = null;
    if (this.silenceTicker) clearInterval(this.silenceTicker);
    this.silenceTicker = null;
    this.disk.stop();
    this.setReady(false);
    await this.host.close();
    this.agent?.destroy();
    this.tunnelValue?.close();
    this.tunnelValue = null;
    this.dockerValue = null;
    await this.vm.stop({ timeoutMs: budget });
    this.emitStatus();
  }

  /** A clean stop, then a boot with the current settings (how CPU, memory and folder changes apply). */
  async restart(onProgress?: (p: BootProgress) => void): Promise<VmDetail> {
    onProgress?.({ stage: 'stopping', percent: 0, detail: 'stopping the VM cleanly' });
    await this.stop();
    return this.start(onProgress);
  }

  /** The user accepts a regenerated guest key: drop the pin and trust the next key presented. */
  async resetHostKey(): Promise<void> {
    await this.pin.clear();
    this.problem = undefined;
    this.tunnelValue?.retryNow();
  }
}

