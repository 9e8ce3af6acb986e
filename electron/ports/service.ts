import type Docker from 'dockerode';
import type { Duplex } from 'node:stream';
import type { Logger } from '../base/logger';
import { Observable } from '../base/observable';
import type { VmDetail } from '../contract/vm';
import { Backoff } from '../base/backoff';
import { PortForwarder, type HypervisorForwards } from './forwarder';
import { desiredForwards, type ContainerPorts } from './plan';
import type { PortForward } from '../contract/ports';

/** What PortService needs from the Engine: kept narrow so the dependency is visible. */
export interface PortEngine {
  readonly docker: Docker;
  readonly tunnel: { forwardOut(host: string, port: number): Promise<Duplex> };
  on(event: 'status', listener: (s: VmDetail) => void): unknown;
  status(): VmDetail;
}

/** Container events after which the set of published ports can differ. */
const PORT_EVENTS = ['start', 'restart', 'die', 'stop', 'kill', 'destroy', 'rename', 'pause', 'unpause'];

/**
 * Keeps host listeners in step with the engine: a full reconcile from the container list whenever the engine
 * becomes ready (first connect and every tunnel reconnect, where events may have been missed), then one after
 * each container event. The event stream is opened before the list is read, so nothing falls in between.
 * No timers poll anything.
 */
export class PortService {
  readonly forwarder: PortForwarder;
  readonly table = new Observable<PortForward[]>([]);
  private ready = false;
  private generation = 0;
  private events: NodeJS.ReadableStream | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Re-tries forwards whose host port was taken: the program holding it may exit at any time. */
  private readonly failedRetry = new Backoff(1000, 30_000);
  private stopped = false;
  private vmGone = true;

  constructor(
    private readonly engine: PortEngine,
    private readonly opts: {
      exposeOnAllInterfaces: () => Promise<boolean>;
      /** The VM's own network, for ports published on every guest address; without it all goes over SSH. */
      hypervisor?: HypervisorForwards;
      log?: Logger;
    },
  ) {
    this.forwarder = new PortForwarder(
      (host, port) => this.engine.tunnel.forwardOut(host, port),
      opts.hypervisor ?? null,
      (line) => opts.log?.warn(line),
    );
    this.forwarder.on('changed', (t) => this.table.set(t));
    engine.on('status', (s) => this.onStatus(s));
    this.onStatus(engine.status());
  }

  private onStatus(s: VmDetail): void {
    if (this.stopped) return;
    // Nothing in the VM to reach: free the host ports now, rather than hold them for containers that are gone.
    this.vmGone = s.vm.state === 'stopped' || s.vm.state === 'error' || s.vm.state === 'stopping';
    this.setReady(!this.vmGone && s.engine.ready);
    if (this.vmGone) void this.reconcile();
  }

  private setReady(ready: boolean): void {
    if (ready === this.ready) return;
    this.ready = ready;
    this.detachEvents();
    // While the tunnel is down the listeners stay: new connections wait for the reconnect (the tunnel holds
    // them), and the reconcile that follows drops whatever went away meanwhile.
    if (ready) this.attach();
  }

  private detachEvents(): void {
    this.generation++;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const ev = this.events as (NodeJS.ReadableStream & { destroy?: () => void }) | null;
    this.events = null;
    ev?.destroy?.();
  }

  private attach(attempt = 0): void {
    const gen = this.generation;
    void (async () => {
      let stream: NodeJS.ReadableStream;
      try {
        stream = await this.engine.docker.getEvents({ filters: { type: ['container'], event: PORT_EVENTS } });
      } catch (err) {
        if (gen !== this.generation) return;
        this.opts.log?.warn(`ports: cannot follow engine events: ${(err as Error).message}`);
        this.retry(gen, attempt);
        return;
      }
      if (gen !== this.generation) {
        (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
        return;
      }
      this.events = stream;
      let buf = '';
      stream.on('data', (chunk: Buffer) => {
        buf += chunk.toString('utf8');
        let nl: number;
        let relevant = false;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) relevant = true;
        }
        if (relevant) this.reconcile();
      });
      const ended = () => {
        if (gen !== this.generation) return;
        // dockerd restarted under a live tunnel: follow again, and re-read the list since events were lost.
        this.events = null;
        this.retry(gen, 0);
      };
      stream.on('end', ended);
      stream.on('error', ended);
      this.reconcile();
    })();
  }

  private retry(gen: number, attempt: number): void {
    if (this.retryTimer || gen !== this.generation) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (gen === this.generation && this.ready) this.attach(attempt + 1);
    }, Math.min(5000, 250 * 2 ** attempt));
  }

  /**
   * Bring the listeners in line with the present state. Coalesces: while one pass runs, any number of requests
   * become one more pass, which reads the state afresh (a burst of die/stop/destroy costs two list calls).
   */
  reconcile(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.pass().catch((err: Error) => this.opts.log?.warn(`ports: ${err.message}`));
      } while (this.again);
    })().finally(() => (this.running = null));
    return this.running;
  }

  private repathing: Promise<void> | null = null;

  /**
   * The hypervisor's network became usable or unusable (Resource Saver paused or woke the VM): move the
   * forwards, between reconcile passes and without asking the engine (that would wake the VM).
   */
  repath(): Promise<void> {
    const after = this.repathing ?? this.running ?? Promise.resolve();
    const run = after
      .then(() => this.forwarder.repath())
      .catch((err: Error) => this.opts.log?.warn(`ports: ${err.message}`))
      .finally(() => {
        if (this.repathing === run) this.repathing = null;
      });
    this.repathing = run;
    return run;
  }

  private async pass(): Promise<void> {
    await this.repathing;
    if (this.stopped || this.vmGone) {
      await this.forwarder.closeAll();
      return;
    }
    if (!this.ready) return;
    const gen = this.generation;
    let containers: ContainerPorts[];
    try {
      containers = (await this.engine.docker.listContainers()) as ContainerPorts[];
    } catch (err) {
      this.opts.log?.warn(`ports: cannot list containers: ${(err as Error).message}`);
      return;
    }
    if (gen !== this.generation || !this.ready) return;
    const exposeOnAllInterfaces = await this.opts.exposeOnAllInterfaces().catch(() => false);
    await this.forwarder.apply(desiredForwards(containers, { exposeOnAllInterfaces }));
    // Only TCP listens can succeed later; other protocols fail for good until they are supported.
    const retryable = this.forwarder.list().some((f) => f.state === 'failed' && f.protocol === 'tcp');
    if (retryable) this.failedRetry.schedule(() => void this.reconcile());
    else this.failedRetry.reset();
  }

  /** Tries failed forwards again now (the user freed the port), then on the usual backoff. */
  retryFailed(): Promise<void> {
    this.failedRetry.reset();
    return this.reconcile();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.failedRetry.reset();
    this.ready = false;
    this.detachEvents();
    await this.reconcile();
  }
}
