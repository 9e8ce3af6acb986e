/**
 * The host-side pieces of a forward that Node owns: listening sockets, and the byte bridge from an accepted
 * connection to wherever it goes (an SSH channel into the guest, or QEMU's own listener on loopback).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { Duplex } from 'node:stream';

/** Opens the far end for one accepted connection. */
export type Opener = () => Promise<Duplex>;

/** A listen error in the words the port table shows. */
export function listenErrorMessage(err: NodeJS.ErrnoException, spec: { hostIp: string; hostPort: number }): string {
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

/** A TCP listener whose every connection is bridged by `onConnection`; rejects with the bind's error. */
export function listenTcp(host: string, port: number, ipv6Only: boolean, onConnection: (sock: net.Socket) => void): Promise<net.Server> {
  // allowHalfOpen: a client that shuts down its sending side still gets the whole reply.
  const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: true }, onConnection);
  return new Promise<net.Server>((resolve, reject) => {
    server.once('error', reject);
    // exclusive: never share the port with another process's listener (cluster-style handle sharing).
    server.listen({ host, port, exclusive: true, ipv6Only }, () => {
      server.off('error', reject);
      server.on('error', () => undefined);
      resolve(server);
    });
  });
}

/** Why a UDP port cannot be bound on the host, or null if it can (QEMU's refusal never says why). */
export function udpBindProblem(host: string, port: number): Promise<NodeJS.ErrnoException | null> {
  return new Promise((resolve) => {
    const s = dgram.createSocket({ type: net.isIPv6(host) ? 'udp6' : 'udp4', reuseAddr: false });
    s.once('error', (err) => {
      s.close();
      resolve(err);
    });
    s.bind(port, host, () => s.close(() => resolve(null)));
  });
}

/** The far end is TCP on this host (QEMU's listener): a plain loopback connection, no SSH. */
export function loopbackOpener(host: string, port: number): Opener {
  return () =>
    new Promise<Duplex>((resolve, reject) => {
      const s = net.connect({ host, port, allowHalfOpen: true });
      s.once('connect', () => {
        s.off('error', reject);
        s.setNoDelay(true);
        resolve(s);
      });
      s.once('error', reject);
    });
}

/**
 * Bridges an accepted (paused) connection to the far end by plain stream piping in both directions: no
 * per-chunk JavaScript, backpressure from the far end's window all the way to the host socket. `conns`
 * holds the socket while it is open, so the forward's owner can end it.
 */
export function bridge(sock: net.Socket, open: Opener, conns: Set<net.Socket>): void {
  sock.setNoDelay(true);
  conns.add(sock);
  sock.on('error', () => sock.destroy());
  sock.once('close', () => conns.delete(sock));
  open().then(
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
      // The far side is gone: flush what it sent, then let go of the client.
      ch.once('close', () => {
        if (!sock.destroyed) sock.end(() => sock.destroy());
      });
      sock.resume();
    },
    () => sock.destroy(),
  );
}
