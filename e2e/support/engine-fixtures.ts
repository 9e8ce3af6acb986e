import { execFile, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { dockerImportDir, importBusyboxImage } from '../../electron/testing/busybox';

const run = promisify(execFile);

/** A busybox image FROM scratch (Docker Hub is out of reach); its default command serves /www on port 80. */
export const E2E_IMAGE = 'berth-e2e/busybox:1';
const APPLETS = ['sh', 'ls', 'cat', 'echo', 'sleep', 'httpd', 'seq', 'date', 'env', 'ps', 'top', 'vi', 'wc', 'stty', 'clear'];

/** The host docker CLI, talking to the agent's socket (DOCKER_HOST is set by the global setup). */
export async function docker(...args: string[]): Promise<string> {
  return (await run('docker', args, { env: process.env, maxBuffer: 64 << 20 })).stdout.trim();
}

export async function ensureE2eImage(): Promise<void> {
  if (await docker('image', 'ls', '-q', E2E_IMAGE)) return;
  await importBusyboxImage({
    tag: E2E_IMAGE,
    applets: APPLETS,
    files: { 'www/index.html': 'hello from berth e2e\n', 'etc/motd': 'berth e2e fixture\n' },
    changes: ['CMD ["httpd", "-f", "-v", "-p", "80", "-h", "/www"]'],
    env: process.env,
  });
}

/**
 * A one-layer image whose layer the engine has never seen (random content), tagged `ref`: pulling it back after
 * a push really downloads, so there is per-layer progress to show.
 */
export async function importUniqueImage(ref: string): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-uniq-'));
  try {
    fs.writeFileSync(path.join(dir, 'payload.bin'), crypto.randomBytes(512 * 1024));
    await dockerImportDir(dir, ref, [], process.env);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/**
 * Debian's docker-registry on 127.0.0.1:5000, which the guest reaches as 10.0.2.2:5000 (an insecure registry
 * in the guest's daemon.json). The port is fixed by that guest setting; if another registry already serves it,
 * that one is used (without auth, it takes our push as well).
 */
export async function startRegistry(): Promise<{ stop(): Promise<void> }> {
  if (await portOpen(5000)) {
    const res = await fetch('http://127.0.0.1:5000/v2/').catch(() => null);
    if (res?.ok) return { stop: async () => undefined };
    throw new Error('Port 5000 is taken by something that is not an open registry');
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-registry-'));
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${dir}/data`, 'http:', '  addr: 127.0.0.1:5000', ''].join('\n'),
  );
  const proc = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(5000))) {
    if (Date.now() > deadline || proc.exitCode !== null) {
      proc.kill();
      throw new Error(`docker-registry did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    stop: async () => {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
