import { EventEmitter } from 'node:events';
import type net from 'node:net';
import type { Duplex } from 'node:stream';
import { planReconcile, type ForwardSpec } from './plan';
import { bridge, listenErrorMessage, listenTcp, loopbackOpener, udpBindProblem, type Opener } from './listeners';
import type { ForwardPath, PortForward } from '../contract/ports';

export { listenErrorMessage } from './listeners';

/** Opens a byte stream to host:port inside the VM (an SSH direct-tcpip channel in the agent). */
export type GuestConnector = (host: string, port: number) => Promise<Duplex>;

/** A forward the hypervisor's own network serves: it listens on the host and delivers to the guest's address. */
export interface HypervisorForwardRule {
  protocol: 'tcp' | 'udp';
  hostIp: string;
  hostPort: number;
  guestPort: number;
}

/** Host forwards in the hypervisor's network (QEMU's user network over QMP in the agent). */
export interface HypervisorForwards {
  /** True while rules can be added now (the VM runs and its control connection answers). */
  available(): boolean;
  /** Rejects with the hypervisor's words when it cannot listen (it never says why: a bind of ours does). */
  add(rule: HypervisorForwardRule): Promise<void>;
  remove(rule: Omit<HypervisorForwardRule, 'guestPort'>): Promise<void>;
  /**
   * Removes forwards this agent did not add, once per hypervisor instance (a VM adopted from an agent that
   * died still holds that agent's): a container removed meanwhile must not keep its host port.
   */
  sweep(): Promise<void>;
}

interface Entry {
  spec: ForwardSpec;
  state: 'forwarded' | 'failed';
  error?: string;
  /** Which path carries the bytes once forwarded. */
  via: ForwardPath | null;
  /** The IPv4 listener of the SSH path; null on the hypervisor path, where QEMU holds that port. */
  server: net.Server | null;
  /**
   * The IPv6 twin (::1 or ::), best effort: `localhost` often resolves to ::1 first. On the SSH path it opens
   * channels like the IPv4 listener; on the hypervisor path (QEMU 7.2 forwards IPv4 only) it relays to QEMU's
   * listener over loopback.
   */
  twin: net.Server | null;
  conns: Set<net.Socket>;
}

/**
 * Host listeners for published container ports, on one of two paths. A port published on every guest address
 * goes through the hypervisor's network when it has one (QEMU's user network: no encryption, no guest sshd).
 * The rest, and every forward the hypervisor refuses for a reason other than a taken port, go over SSH: each
 * accepted connection gets its own channel to the guest port.
 */
export class PortForwarder extends EventEmitter<{ changed: [PortForward[]] }> {
  private readonly entries = new Map<string, Entry>();
  private lastJson = '[]';

  constructor(
    private readonly connect: GuestConnector,
    private readonly hypervisor: HypervisorForwards | null = null,
    private readonly warn: (line: string) => void = () => undefined,
  ) {
    super();
  }

  list(): PortForward[] {
    return [...this.entries.values()]
      .map((e) => ({
        containerId: e.spec.containerId,
        containerName: e.spec.containerName,
        hostIp: e.spec.hostIp,
        hostPort: e.spec.hostPort,
        guestPort: e.spec.guestPort,
        containerPort: e.spec.containerPort,
        protocol: e.spec.protocol,
        state: e.state,
        ...(e.state === 'forwarded' && e.via ? { via: e.via } : {}),
        ...(e.error ? { error: e.error } : {}),
      }))
      .sort((a, b) => a.hostPort - b.hostPort || a.protocol.localeCompare(b.protocol) || a.hostIp.localeCompare(b.hostIp));
  }

  /** Make the listeners match `desired`. Callers serialize calls (PortService does). */
  async apply(desired: readonly ForwardSpec[]): Promise<void> {
    if (this.hypervisor?.available()) await this.hypervisor.sweep().catch((err: Error) => this.warn(`ports: ${err.message}`));
    const plan = planReconcile(
      desired,
      [...this.entries.values()].map((e) => ({ spec: e.spec, state: e.state })),
    );
    await Promise.all(plan.close.map((key) => this.close(key)));
    for (const spec of plan.update) {
      // New connections go to the new target; the listener (and the host port) stays ours throughout.
      const e = this.entries.get(spec.key);
      if (e) e.spec = spec;
    }
    await Promise.all(plan.open.map((spec) => this.open(spec)));
    this.emitIfChanged();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((k) => this.close(k)));
    this.emitIfChanged();
  }

  private emitIfChanged(): void {
    const table = this.list();
    const json = JSON.stringify(table);
    if (json === this.lastJson) return;
    this.lastJson = json;
    this.emit('changed', table);
  }

  /**
   * Moves forwards to the path the hypervisor's network allows now: off it while it cannot be used (a VM paused
   * by Resource Saver: QEMU would accept connections and hold them, and nothing would wake the guest; the SSH
   * path's connections do), back onto it afterwards. Connections already open finish on the path they took.
   * No engine call: this runs while the VM is paused.
   */
  async repath(): Promise<void> {
    const usable = !!this.hypervisor?.available();
    const moving = [...this.entries.values()].filter(
      (e) => e.state === 'forwarded' && (usable ? e.via === 'ssh' && e.spec.onAllGuestAddresses : e.via === 'hypervisor'),
    );
    await Promise.all(
      moving.map(async (e) => {
        await this.unlisten(e);
        Object.assign(e, { state: 'failed', via: null, server: null, twin: null });
        await this.open(e.spec);
      }),
    );
    this.emitIfChanged();
  }

  private async close(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    // Open connections belong to a container that is gone: end them rather than leave clients hanging. (QEMU's
    // own connections end when the guest side does: the container's proxy goes away with it.)
    for (const s of e.conns) s.destroy();
    await this.unlisten(e);
  }

  /** Stops taking connections on the entry's path: its listeners closed, or its rule out of the hypervisor. */
  private async unlisten(e: Entry): Promise<void> {
    // close() frees the port at once; its callback would wait for open connections, which may outlive it.
    for (const srv of [e.server, e.twin]) srv?.close();
    const closing: Promise<void>[] = [];
    if (e.via === 'hypervisor' && e.state === 'forwarded') {
      // A VM that stopped took its rules with it; nothing else can fail here that the next pass could fix.
      closing.push(this.hypervisor!.remove(e.spec).catch((err: Error) => this.warn(`ports: ${err.message}`)));
    }
    await Promise.all(closing);
  }

  private async open(spec: ForwardSpec): Promise<void> {
    const prev = this.entries.get(spec.key);
    if (prev?.state === 'forwarded') return;
    const entry: Entry = prev ?? { spec, state: 'failed', via: null, server: null, twin: null, conns: new Set() };
    entry.spec = spec;
    this.entries.set(spec.key, entry);
    if (spec.onAllGuestAddresses && this.hypervisor?.available() && (await this.openInHypervisor(entry))) return;
    if (spec.protocol !== 'tcp') {
      entry.state = 'failed';
      // SSH has no datagram channel: UDP goes through the VM's network or not at all.
      entry.error = spec.onAllGuestAddresses
        ? 'UDP ports are forwarded only through the VM network, which this VM does not offer (SSH carries TCP only)'
        : `UDP ports published only on the VM's loopback are not forwarded (SSH carries TCP only): publish on all addresses, as in -p ${spec.hostPort}:${spec.containerPort}/udp`;
      return;
    }
    await this.openOverSsh(entry);
  }

  /** True when settled on this path (forwarded, or failed for a reason the SSH path would hit too). */
  private async openInHypervisor(entry: Entry): Promise<boolean> {
    const { spec } = entry;
    const rule = { protocol: spec.protocol, hostIp: spec.hostIp, hostPort: spec.hostPort };
    try {
      await this.hypervisor!.add({ ...rule, guestPort: spec.guestPort });
    } catch (err) {
      if (spec.protocol === 'tcp') {
        // The SSH path's own listen tells a taken port (same words as ever) from a hypervisor that could not.
        this.warn(`ports: ${spec.hostIp}:${spec.hostPort} over SSH instead of the VM's network: ${(err as Error).message}`);
        return false;
      }
      const problem = await udpBindProblem(spec.hostIp, spec.hostPort);
      entry.state = 'failed';
      entry.error = problem ? listenErrorMessage(problem, spec) : (err as Error).message;
      return true;
    }
    if (this.entries.get(spec.key) !== entry) {
      // Closed while QEMU was adding it.
      await this.hypervisor!.remove(rule).catch(() => undefined);
      return true;
    }
    entry.via = 'hypervisor';
    entry.state = 'forwarded';
    delete entry.error;
    const twinHost = spec.protocol !== 'tcp' ? null : spec.hostIp === '127.0.0.1' ? '::1' : spec.hostIp === '0.0.0.0' ? '::' : null;
    if (twinHost) {
      // QEMU listens on 0.0.0.0 or 127.0.0.1: either way, loopback reaches it.
      const relay = loopbackOpener('127.0.0.1', spec.hostPort);
      entry.twin = await listenTcp(twinHost, spec.hostPort, true, (sock) => bridge(sock, relay, entry.conns)).catch(() => null);
      if (this.entries.get(spec.key) !== entry) entry.twin?.close();
    }
    return true;
  }

  private async openOverSsh(entry: Entry): Promise<void> {
    const { spec } = entry;
    const onConnection = (sock: net.Socket) => {
      const { guestHost, guestPort } = entry.spec;
      bridge(sock, (() => this.connect(guestHost, guestPort)) satisfies Opener, entry.conns);
    };
    let server: net.Server;
    try {
      server = await listenTcp(spec.hostIp, spec.hostPort, false, onConnection);
    } catch (err) {
      entry.state = 'failed';
      entry.error = listenErrorMessage(err as NodeJS.ErrnoException, spec);
      return;
    }
    const twinHost = spec.hostIp === '127.0.0.1' ? '::1' : spec.hostIp === '0.0.0.0' ? '::' : null;
    // No IPv6 on the host, or that side taken: IPv4 alone still serves, so this never fails the forward.
    const twin = twinHost ? await listenTcp(twinHost, spec.hostPort, true, onConnection).catch(() => null) : null;
    if (this.entries.get(spec.key) !== entry) {
      // Closed while we were binding.
      server.close();
      twin?.close();
      return;
    }
    entry.twin = twin;
    entry.server = server;
    entry.via = 'ssh';
    entry.state = 'forwarded';
    delete entry.error;
  }
}
