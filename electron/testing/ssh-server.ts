import net from 'node:net';
import ssh2, { type Connection } from 'ssh2';

/**
 * A real SSH server (ssh2's) for tunnel-level tests: public-key auth for one key, and streamlocal channels
 * forwarded to real unix sockets, as the guest's sshd does.
 */
export function startSshServer(hostKey: string, clientPub: string, port = 0) {
  const allowed = ssh2.utils.parseKey(clientPub);
  if (allowed instanceof Error) throw allowed;
  const conns = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [hostKey] }, (conn) => {
    conns.add(conn);
    conn.on('close', () => conns.delete(conn));
    conn.on('error', () => undefined);
    conn.on('authentication', (ctx) => {
      if (
        ctx.method === 'publickey' &&
        ctx.key.algo === allowed.type &&
        ctx.key.data.equals(allowed.getPublicSSH()) &&
        (!ctx.signature || allowed.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) === true)
      ) {
        ctx.accept();
      } else ctx.reject(['publickey']);
    });
    conn.on('ready', () => {
      conn.on('openssh.streamlocal', (accept, _reject, info) => {
        const ch = accept();
        const s = net.connect(info.socketPath);
        ch.pipe(s).pipe(ch);
        s.on('error', () => ch.close());
      });
    });
  });
  return new Promise<{ port: number; dropAll: () => void; close: () => Promise<void> }>((resolve) => {
    server.listen(port, '127.0.0.1', () => {
      resolve({
        port: (server.address() as net.AddressInfo).port,
        dropAll: () => conns.forEach((c) => c.end()),
        close: () =>
          new Promise<void>((r) => {
            conns.forEach((c) => c.end());
            server.close(() => r());
          }),
      });
    });
  });
}
