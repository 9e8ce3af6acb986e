import type { TunnelState } from '../contract/vm';
import { EventEmitter } from 'node:events';
import type { Client, ClientChannel, ConnectConfig } from 'ssh2';
import type * as ssh2Module from 'ssh2';
import { lazyPackage } from '../base/lazy-package';
import { BerthError } from '../base/errors';
import { blobToOpenSsh, keyBlob, type HostKeyPin } from './ssh-keys';

/** Loaded at the first connect: after QEMU's spawn, while the guest boots. */
const ssh2 = lazyPackage<typeof ssh2Module>('ssh2');

export interface TunnelTarget {
  host: string;
  port: number;
}

export interface TunnelOptions {
  /** Asked on every (re)connect: the forwarded port changes when the VM restarts. */
  target: () => TunnelTarget | null;
  privateKey: string;
  pin: HostKeyPin;
  username?: string;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  readyTimeoutMs?: number;
  backoffInitialMs?: number;
  backoffMaxMs?: number;
  /** How long a call waits for a reconnect before failing. */
  waitMs?: number;
  /** Tells what to run to clear a stale pin; the CLI command by default. */
  resetHint?: string;
}

/** Silence over SSH (keep-alives go every 2 s) after which the guest counts as not responding. */
export const UNRESPONSIVE_AFTER_MS = 5000;

export type { TunnelState };

export interface TunnelEvents {
  connected: [{ at: number; attempt: number }];
  disconnected: [{ reason: string }];
  refused: [BerthError];
  state: [TunnelState];
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The single SSH connection to one VM. Everything rides on it as channels: the engine API, event and log
 * streams, exec/attach, port forwards. It reconnects on its own with backoff when the connection drops, so a
 * guest sshd restart or a network hiccup needs no user action; a host key that differs from the pin is refused
 * and not retried quickly.
 */
export class Tunnel extends EventEmitter<TunnelEvents> {
  private client: Client | null = null;
  private stateValue: TunnelState = 'idle';
  private attempt = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastError: BerthError | null = null;
  private mismatch: { expected: string; got: string } | null = null;
  private readonly o: Required<Omit<TunnelOptions, 'resetHint'>> & { resetHint: string };

  constructor(opts: TunnelOptions) {
    super();
    this.setMaxListeners(0);
    this.o = {
      username: 'root',
      keepaliveIntervalMs: 2000,
      keepaliveCountMax: 3,
      readyTimeoutMs: 20_000,
      backoffInitialMs: 200,
      backoffMaxMs: 5000,
      waitMs: 20_000,
      resetHint: '`berth reset-host-key`',
      ...opts,
    };
  }

  get state(): TunnelState {
    return this.stateValue;
  }

  get error(): BerthError | null {
    return this.lastError;
  }

  /** Since when the guest has not answered over SSH (null while connected or before the first dial). */
  private silentSince: number | null = null;

  /** How long the guest has not answered over SSH; 0 while connected. */
  get silentForMs(): number {
    return this.silentSince === null ? 0 : Date.now() - this.silentSince;
  }

  private setState(s: TunnelState): void {
    if (this.stateValue === s) return;
    if (s === 'connected' || s === 'closed' || s === 'idle') this.silentSince = null;
    else this.silentSince ??= Date.now();
    this.stateValue = s;
    this.emit('state', s);
  }

  private gate: (() => Promise<void>) | null = null;
  private holdTimer: NodeJS.Timeout | null = null;

  /** Awaited before any channel opens (Resource Saver wakes a paused VM there); null: none. */
  setGate(gate: (() => Promise<void>) | null): void {
    this.gate = gate;
  }

  /**
   * The guest is paused on purpose: keep the connection and send nothing. ssh2's keep-alives would declare a
   * paused guest dead after a few seconds; restarting ssh2's keep-alive timer more often than it fires means
   * none is sent (ssh2 exposes no switch). Data queued for a stopped guest would also wait in slirp's retransmit
   * backoff after the wake, so silence is what keeps the first request after `cont` fast.
   */
  hold(): void {
    if (this.holdTimer) return;
    const restartKeepalive = () => (this.client as unknown as { _resetKA?: () => void } | null)?._resetKA?.();
    restartKeepalive();
    this.holdTimer = setInterval(restartKeepalive, Math.max(100, this.o.keepaliveIntervalMs / 2));
    this.holdTimer.unref();
  }

  /** The guest runs again: keep-alives count from zero. */
  release(): void {
    if (!this.holdTimer) return;
    clearInterval(this.holdTimer);
    this.holdTimer = null;
    (this.client as unknown as { _resetKA?: () => void } | null)?._resetKA?.();
  }

  get held(): boolean {
    return this.holdTimer !== null;
  }

  /** Begin connecting (and keep reconnecting) until close(). */
  start(): void {
    if (this.stateValue === 'closed') this.stateValue = 'idle';
    if (this.client || this.timer) return;
    this.dial();
  }

  /** Start if needed and wait until connected. */
  async connect(timeoutMs = this.o.waitMs): Promise<void> {
    this.start();
    await this.waitConnected(timeoutMs);
  }

  private waitConnected(timeoutMs: number): Promise<void> {
    if (this.stateValue === 'connected') return Promise.resolve();
    if (this.stateValue === 'refused' && this.lastError) return Promise.reject(this.lastError);
    if (this.stateValue === 'closed' || this.stateValue === 'idle') {
      return Promise.reject(new BerthError('unavailable', 'The engine tunnel is not running', 'Start the VM with `berth start`.'));
    }
    return new Promise((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(t);
        this.off('connected', onUp);
        this.off('refused', onRefused);
        this.off('state', onState);
      };
      const onUp = () => {
        cleanup();
        resolve();
      };
      const onRefused = (e: BerthError) => {
        cleanup();
        reject(e);
      };
      const onState = (s: TunnelState) => {
        if (s === 'closed') {
          cleanup();
          reject(new BerthError('unavailable', 'The engine tunnel was closed', 'Start the VM with `berth start`.'));
        }
      };
      const t = setTimeout(() => {
        cleanup();
        const silent = Math.round(this.silentForMs / 1000);
        reject(
          new BerthError(
            'unavailable',
            `The VM is not answering over SSH (no answer for ${silent} s)${this.lastError ? `: ${this.lastError.message}` : ''}`,
            'Berth reconnects as soon as it answers. If it stays stuck, check `berth status` and `berth logs`, or restart it with `berth stop && berth start`.',
          ),
        );
      }, timeoutMs);
      this.on('connected', onUp);
      this.on('refused', onRefused);
      this.on('state', onState);
    });
  }

  private scheduleReconnect(): void {
    if (this.stateValue === 'closed' || this.timer) return;
    const base = this.stateValue === 'refused' ? this.o.backoffMaxMs : this.o.backoffInitialMs * 2 ** Math.min(this.attempt, 10);
    const delay = Math.min(this.o.backoffMaxMs, base);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dial();
    }, delay);
  }

  private dial(): void {
    const target = this.o.target();
    if (!target) {
      this.setState('disconnected');
      this.attempt++;
      this.scheduleReconnect();
      return;
    }
    this.setState(this.stateValue === 'refused' ? 'refused' : 'connecting');
    this.attempt++;
    this.mismatch = null;
    const client = new (ssh2().Client)();
    this.client = client;
    let ready = false;
    const pin = this.o.pin;
    const config: ConnectConfig = {
      host: target.host,
      port: target.port,
      username: this.o.username,
      privateKey: this.o.privateKey,
      keepaliveInterval: this.o.keepaliveIntervalMs,
      keepaliveCountMax: this.o.keepaliveCountMax,
      readyTimeout: this.o.readyTimeoutMs,
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void) => {
        pin.get().then(
          async (pinned) => {
            if (!pinned) {
              // Only after an explicit reset: trust this key once and pin it.
              await pin.set(blobToOpenSsh(key));
              verify(true);
              return;
            }
            const ok = keyBlob(pinned).equals(key);
            if (!ok) this.mismatch = { expected: pinned, got: blobToOpenSsh(key) };
            verify(ok);
          },
          () => verify(false),
        );
      },
    };
    client.on('ready', () => {
      ready = true;
      const attempts = this.attempt;
      this.attempt = 0;
      this.lastError = null;
      this.setState('connected');
      this.emit('connected', { at: Date.now(), attempt: attempts });
    });
    client.on('error', (err: Error & { level?: string }) => {
      if (this.mismatch) {
        const m = this.mismatch;
        this.lastError = new BerthError(
          'host-key-mismatch',
          `The VM's SSH host key (${m.got.slice(0, 40)}...) is not the one its console reported (${m.expected.slice(0, 40)}...): connection refused`,
          `If the guest's key was regenerated on purpose, run ${this.o.resetHint} (or delete ${pin.file}) and restart the VM with \`berth stop && berth start\`; otherwise something else answers on the VM's SSH port.`,
        );
        this.setState('refused');
        this.emit('refused', this.lastError);
        return;
      }
      this.lastError = new BerthError('unavailable', `SSH to the VM failed: ${err.message}`, 'The tunnel retries on its own.');
    });
    client.on('close', () => {
      if (this.client === client) this.client = null;
      if (this.stateValue === 'closed') return;
      if (ready) this.emit('disconnected', { reason: this.lastError?.message ?? 'connection closed' });
      if (this.stateValue !== 'refused') this.setState('disconnected');
      this.scheduleReconnect();
    });
    client.connect(config);
    // ssh2 leaves Nagle on: a request split over two small packets would then wait for the peer's delayed ACK
    // (tens of ms per API call).
    client.setNoDelay(true);
  }

  private async ready(deadline = Date.now() + this.o.waitMs): Promise<Client> {
    await this.waitConnected(Math.max(0, deadline - Date.now()));
    if (!this.client) throw new BerthError('unavailable', 'The engine tunnel dropped', 'Retry; it reconnects on its own.');
    return this.client;
  }

  /**
   * Run `open` on a live client. A connection that just died still looks connected until ssh2 emits 'close',
   * and ssh2 then throws synchronously: treat that as "wait for the reconnect" rather than as a failure.
   */
  private async withClient<T>(open: (c: Client, cb: (err: Error | undefined, v?: T) => void) => void, background = false): Promise<T> {
    // The agent's own housekeeping (disk measurements, the pause's preparation) must not wake a paused VM.
    if (this.gate && !background) await this.gate();
    // One wait for the whole request, not one per retry; and once the guest is known to be silent, a short one:
    // a frozen VM fails a request in seconds with that reason rather than holding every caller for a minute.
    const deadline = Date.now() + (this.silentForMs >= UNRESPONSIVE_AFTER_MS ? 2000 : this.o.waitMs);
    for (let attempt = 0; ; attempt++) {
      const c = await this.ready(deadline);
      try {
        return await new Promise<T>((resolve, reject) => {
          open(c, (err, v) => (err ? reject(err) : resolve(v as T)));
        });
      } catch (err) {
        const dead = /Not connected|No response|closed/i.test((err as Error).message) || this.client !== c;
        if (!dead || attempt >= 2) throw err;
        if (this.client === c && this.stateValue === 'connected') {
          this.setState('disconnected');
          this.dropConnection();
        }
      }
    }
  }

  /** A channel to a unix socket in the guest (the engine API). */
  async streamLocal(socketPath: string): Promise<ClientChannel> {
    try {
      return await this.withClient<ClientChannel>((c, cb) => c.openssh_forwardOutStreamLocal(socketPath, cb));
    } catch (err) {
      if (err instanceof BerthError) throw err;
      throw new BerthError('engine', `Could not reach ${socketPath} in the VM: ${(err as Error).message}`, 'Is dockerd running? See `berth logs`.');
    }
  }

  /** A channel to a TCP port in the guest (published container ports). */
  async forwardOut(host: string, port: number): Promise<ClientChannel> {
    try {
      return await this.withClient<ClientChannel>((c, cb) => c.forwardOut('127.0.0.1', 0, host, port, cb));
    } catch (err) {
      if (err instanceof BerthError) throw err;
      throw new BerthError('unavailable', `Could not reach ${host}:${port} in the VM: ${(err as Error).message}`);
    }
  }

  /** Runs a command in the guest; `background` for the agent's own housekeeping, which neither wakes nor counts as use. */
  async exec(command: string, opts: { background?: boolean } = {}): Promise<ExecResult> {
    const ch = await this.withClient<ClientChannel>((c, cb) => c.exec(command, cb), opts.background).catch((err: Error) => {
      throw err instanceof BerthError ? err : new BerthError('vm', `exec failed: ${err.message}`);
    });
    return new Promise((resolve) => {
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      ch.on('data', (d: Buffer) => (stdout += d.toString()));
      ch.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      ch.on('exit', (c2: number | null) => (code = c2));
      ch.on('close', () => resolve({ code, stdout, stderr }));
    });
  }

  /** Drop the current connection as if the network had (for tests and `berth doctor`); reconnect follows. */
  dropConnection(): void {
    const sock = (this.client as unknown as { _sock?: { destroy(): void } } | null)?._sock;
    if (sock) sock.destroy();
    else this.client?.end();
  }

  /** Forget a refusal so the next attempt happens now (after the pin was reset). */
  retryNow(): void {
    if (this.stateValue === 'closed') return;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.stateValue === 'refused') this.setState('disconnected');
    if (!this.client) this.dial();
  }

  close(): void {
    this.release();
    this.setState('closed');
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.client?.end();
    this.client = null;
  }
}
