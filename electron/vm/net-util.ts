import net from 'node:net';

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Slirp accepts the TCP connection even when nothing listens in the guest, so a connect proves nothing: only
 * sshd's banner does.
 */
export function readSshBanner(port: number, timeoutMs = 2000): Promise<string | null> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    let buf = '';
    const done = (v: string | null) => {
      clearTimeout(t);
      s.destroy();
      resolve(v);
    };
    const t = setTimeout(() => done(null), timeoutMs);
    s.setEncoding('utf8');
    s.on('data', (d: string) => {
      buf += d;
      const line = buf.split('\n')[0];
      if (buf.includes('\n')) done(line.startsWith('SSH-2.0-') ? line.trim() : null);
    });
    s.on('error', () => done(null));
    s.on('close', () => done(null));
  });
}

export async function waitForSshBanner(port: number, timeoutMs: number, isCancelled: () => boolean): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !isCancelled()) {
    const b = await readSshBanner(port, Math.min(2000, deadline - Date.now()));
    if (b) return b;
    await new Promise((r) => setTimeout(r, 200));
  }
  return null;
}
