import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
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

export { startRegistry } from '../../electron/testing/local-registry';
