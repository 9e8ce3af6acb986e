// Helpers for the release tests: a small fake image with the cache's manifest, and a local HTTP server for a
// release folder that can misbehave on purpose (cut a body short).
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import path from 'node:path';
import { ARTIFACTS, type Manifest } from '../builder/build-image';
import { describeImage } from '../image-dir';
import type { GuestImage } from '../types';

/** Random bytes with runs of zeros, so compression has something to do and every byte still matters. */
function fakeContent(bytes: number): Buffer {
  const buf = crypto.randomBytes(bytes);
  for (let i = 0; i < bytes; i += 8192) buf.fill(0, i, Math.min(bytes, i + 4096));
  return buf;
}

const SIZES: Record<keyof typeof ARTIFACTS, number> = { kernel: 300_000, initrd: 120_000, rootfs: 1_500_000 };

/** An image directory as the builder leaves it, in `dir`, for recipe `hash`. */
export function makeFakeImage(dir: string, hash: string): GuestImage {
  fs.mkdirSync(dir, { recursive: true });
  const artifacts: Manifest['artifacts'] = {};
  for (const [name, file] of Object.entries(ARTIFACTS)) {
    const content = fakeContent(SIZES[name as keyof typeof ARTIFACTS]);
    fs.writeFileSync(path.join(dir, file), content);
    artifacts[name] = { file, bytes: content.length, sha256: crypto.createHash('sha256').update(content).digest('hex') };
  }
  const manifest: Manifest = {
    hash, arch: 'amd64', variant: 'berth', suite: 'trixie', mirror: 'http://deb.debian.org/debian',
    builtAt: new Date(0).toISOString(), buildSeconds: 1,
    kernel: { version: '6.12.0-test', package: 'linux-image-6.12.0-test', packageVersion: '6.12.0-1', format: 'elf-vmlinux (PVH)' },
    packages: {}, initramfsModules: [], rootfsType: 'squashfs', artifacts,
  };
  fs.writeFileSync(path.join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return describeImage(dir, { hash, arch: 'amd64', variant: 'berth' });
}

export interface ReleaseServer {
  url: string;
  /** Paths requested so far, in order. */
  requests: string[];
  /** From now on, answer `file` with its full Content-Length but close the connection after `bytes`. */
  cutShort(file: string, bytes: number): void;
  close(): Promise<void>;
}

/** Serves the files of `dir` on 127.0.0.1 (a random port). */
export async function serveRelease(dir: string): Promise<ReleaseServer> {
  const requests: string[] = [];
  const cuts = new Map<string, number>();
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const name = urlPath.replace(/^\/release\//, '');
    requests.push(name);
    const file = path.join(dir, name);
    if (!urlPath.startsWith('/release/') || name.includes('/') || !fs.existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-length': fs.statSync(file).size, 'content-type': 'application/octet-stream' });
    // Streamed: the VM test serves the real ~130 MB rootfs.
    const cut = cuts.get(name);
    if (cut === undefined) {
      fs.createReadStream(file).pipe(res);
      return;
    }
    res.write(fs.readFileSync(file).subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
  });
  server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/release`,
    requests,
    cutShort: (file, bytes) => cuts.set(file, bytes),
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}

/** Flips one bit of the byte in the middle of `file`. */
export function flipByte(file: string): void {
  const buf = fs.readFileSync(file);
  buf[buf.length >> 1] ^= 0x01;
  fs.writeFileSync(file, buf);
}

/** Everything in the cache dir, so a test can say "nothing was left behind". */
export function cacheEntries(cacheDir: string): string[] {
  return fs.existsSync(cacheDir) ? fs.readdirSync(cacheDir).sort() : [];
}
