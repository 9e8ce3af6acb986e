import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { EventEmitter } from 'node:events';
import { explainCreateRequest } from '../shares/bind-mounts';
import { GUEST_DOCKER_SOCKET } from './docker';
import { RequestInspector, type RequestHead } from './request-inspector';
import type { Tunnel } from './tunnel';

/** `POST /containers/create`, with or without the API version prefix. */
export function isContainerCreate(head: RequestHead): boolean {
  return head.method === 'POST' && /^(\/v[0-9.]+)?\/containers\/create$/.test(head.target.split('?')[0]);
}

/**
 * The engine API on a host unix socket, for the docker CLI, compose and anything else that speaks it. Each
 * accepted connection becomes one fresh tunnel channel and bytes are passed through unchanged both ways, so HTTP
 * keep-alive, hijacked attach/exec, upgrades, streamed bodies and half-closes all behave as on a local dockerd.
 * One exception: a container create whose bind mount names a host folder the VM has not mounted is refused here
 * (HTTP 400, the message the docker CLI prints), because dockerd would silently bind an empty folder it made in
 * the VM instead.
 */
export class HostSocket extends EventEmitter<{ error: [Error] }> {
  private server: net.Server | null = null;
  private readonly conns = new Set<net.Socket>();

  constructor(
    readonly socketPath: string,
    private readonly tunnel: Tunnel,
    private readonly guestSocket = GUEST_DOCKER_SOCKET,
    /** The host folders the running VM mounted; null when that is unknown (nothing is refused then). */
    private readonly sharedFolders: () => readonly string[] | null = () => null,
  ) {
    super();
  }

  /** Client connections open now: a request in flight (a `docker run` waiting for its start) keeps the VM awake. */
  get openConnections(): number {
    return this.conns.size;
  }

  async listen(): Promise<void> {
    if (this.server) return;
    const dir = path.dirname(this.socketPath);
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    await fs.chmod(dir, 0o700);
    await this.removeStale();
    const server = net.createServer({ allowHalfOpen: true }, (sock) => this.onConnection(sock));
    // listen() creates the socket with the process umask (changing the umask would affect the whole agent):
    // the 0700 run directory keeps others out until the chmod right after.
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    await fs.chmod(this.socketPath, 0o600);
    server.on('error', (e) => this.emit('error', e));
    this.server = server;
  }

  /** A socket file left by a crashed agent blocks listen(); one that still answers belongs to someone else. */
  private async removeStale(): Promise<void> {
    const alive = await new Promise<boolean>((resolve) => {
      const s = net.connect(this.socketPath);
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (alive) throw new Error(`${this.socketPath} is in use by another process`);
    await fs.rm(this.socketPath, { force: true });
  }

  private onConnection(sock: net.Socket): void {
    this.conns.add(sock);
    sock.on('close', () => this.conns.delete(sock));
    sock.on('error', () => sock.destroy());
    sock.pause();
    this.tunnel.streamLocal(this.guestSocket).then(
      (ch) => {
        ch.on('error', () => sock.destroy());
        sock.on('close', () => ch.close());
        ch.on('close', () => sock.destroy());
        sock.pipe(this.inspector(sock, () => ch.end())).pipe(ch);
        ch.pipe(sock);
        sock.resume();
      },
      (err: Error) => {
        // The client gets an HTTP answer it can show, rather than a bare reset.
        const body = JSON.stringify({ message: `Berth: the engine is not reachable: ${err.message}` });
        sock.end(
          `HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      },
    );
  }

  private inspector(sock: net.Socket, endChannel: () => void): RequestInspector {
    return new RequestInspector({
      holdBody: isContainerCreate,
      judge: (_head, body) => {
        const shares = this.sharedFolders();
        if (!shares) return null;
        let json: unknown;
        try {
          json = JSON.parse(body.toString('utf8'));
        } catch {
          return null; // dockerd answers malformed JSON itself
        }
        return explainCreateRequest(json, shares);
      },
      reply: (text, end) => {
        if (!end) {
          sock.write(text);
          return;
        }
        sock.end(text);
        endChannel();
      },
    });
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const c of this.conns) c.destroy();
    if (server) await new Promise<void>((r) => server.close(() => r()));
    await fs.rm(this.socketPath, { force: true });
  }
}
