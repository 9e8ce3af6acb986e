import { EventEmitter } from 'node:events';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { planReconcile, type ForwardSpec } from './plan';
import type { PortForward } from '../contract/ports';

/** Opens a byte stream to host:port inside the VM (an SSH direct-tcpip channel in the agent). */
export type GuestConnector = (host: string, port: number) => Promise<Duplex>;

interface Entry {
  spec: ForwardSpec;
  state: 'forwarded' | 'failed';
  error?: string;
  server: net.Server | null;
  /** The IPv6 twin (::1 or ::), best effort: `localhost` often resolves to ::1 first. */
  twin: net.Server | null;
  conns: Set<net.Socket>;
}

/** A listen error in the words the port table shows. */
export function listenErrorMessage(err: NodeJS.ErrnoException, spec: Pick<ForwardSpec, 'hostIp' | 'hostPort'>): string {
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${spec.hostPort} is in use on the host by another program`;
    case 'EACCES':
      return `port ${spec.hostPort} needs administrator rights on the host (ports below 1024)`;
    case 'EADDRNOTAVAIL':
      return `address ${spec.hostIp} does not exist on this host`;
    default:
      return `cannot listen on ${spec.hostIp}:${spec.hostPort}: ${err.message}`;
  }
}

/**
 * Host listeners for published container ports. Each accepted connection gets its own channel to the guest
 * port, and bytes move by plain stream piping in both directions: no per-chunk JavaScript, backpressure from
 * the SSH window all the way to the host socket.
 */
export class PortForwarder extends EventEmitter<{ changed: [PortForward[]] }> {
  private readonly entries = new Map<string, Entry>();
  private lastJson = '[]';

  constructor(private readonly connect: GuestConnector) {
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
        ...(e.error ? { error: e.error } : {}),
      }))
      .sort((a, b) => a.hostPort - b.hostPort || a.protocol.localeCompare(b.protocol) || a.hostIp.localeCompare(b.hostIp));
  }

  /** Make the listeners match `desired`. Callers serialize calls (PortService does). */
  async apply(desired: readonly ForwardSpec[]): Promise<void> {
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

  private async close(key: string): Promise<void> {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    // Open connections belong to a container that is gone: end them rather than leave clients hanging.
    for (const s of e.conns) s.destroy();
    await Promise.all([e.server, e.twin].map((srv) => srv && new Promise<void>((r) => srv.close(() => r()))));
  }

  private listen(entry: Entry, host: string, ipv6Only: boolean): Promise<net.Server> {
    // allowHalfOpen: a client that shuts down its sending side still gets the whole reply.
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, (sock) => this.onConnection(entry, sock));
    return new Promise<net.Server>((resolve, reject) => {
      server.once('error', reject);
      // exclusive: never share the port with another process's listener (cluster-style handle sharing).
      server.listen({ host, port: entry.spec.hostPort, exclusive: true, ipv6Only }, () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        resolve(server);
      });
    });
  }

  private async open(spec: ForwardSpec): Promise<void> {
    const prev = this.entries.get(spec.key);
    if (prev?.server) return;
    const entry: Entry = prev ?? { spec, state: 'failed', server: null, twin: null, conns: new Set() };
    entry.spec = spec;
    this.entries.set(spec.key, entry);
    if (spec.protocol !== 'tcp') {
      entry.state = 'failed';
      entry.error = `${spec.protocol.toUpperCase()} ports are not forwarded yet (TCP only)`;
      return;
    }
    let server: net.Server;
    try {
      server = await this.listen(entry, spec.hostIp, false);
    } catch (err) {
      entry.state = 'failed';
      entry.error = listenErrorMessage(err as NodeJS.ErrnoException, spec);
      return;
    }
    const twinHost = spec.hostIp === '127.0.0.1' ? '::1' : spec.hostIp === '0.0.0.0' ? '::' : null;
    // No IPv6 on the host, or that side taken: IPv4 alone still serves, so this never fails the forward.
    const twin = twinHost ? await this.listen(entry, twinHost, true).catch(() => null) : null;
    if (this.entries.get(spec.key) !== entry) {
      // Closed while we were binding.
      server.close();
      twin?.close();
      return;
    }
    entry.twin = twin;
    entry.server = server;
    entry.state = 'forwarded';
    delete entry.error;
  }

  private onConnection(entry: Entry, sock: net.Socket): void {
    sock.setNoDelay(true);
    entry.conns.add(sock);
    sock.on('error', () => sock.destroy());
    sock.once('close', () => entry.conns.delete(sock));
    const { guestHost, guestPort } = entry.spec;
    this.connect(guestHost, guestPort).then(
      (ch) => {
        if (sock.destroyed) {
          ch.destroy();
          return;
        }
        ch.on('error', () => {
          ch.destroy();
          sock.destroy();
        });
        sock.pipe(ch);
        ch.pipe(sock);
        sock.once('close', () => ch.destroy());
        // The guest side is gone: flush what it sent, then let go of the client.
        ch.once('close', () => {
          if (!sock.destroyed) sock.end(() => sock.destroy());
        });
        sock.resume();
      },
      () => sock.destroy(),
    );
  }
}
