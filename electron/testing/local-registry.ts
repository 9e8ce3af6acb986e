import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function portOpen(port: number): Promise<boolean> {
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
 * Debian's docker-registry on 127.0.0.1:PORT, which the guest reaches as 10.0.2.2:PORT. Plain HTTP: the guest
 * engine pulls from it only when it is an insecure registry (5000 always is; others through engineConfig). If an
 * open registry already serves the port, that one is used (without auth, it takes our push as well).
 */
export async function startLocalRegistry(port = 5000): Promise<{ stop(): Promise<void> }> {
  if (await portOpen(port)) {
    const res = await fetch(`http://127.0.0.1:${port}/v2/`).catch(() => null);
    if (res?.ok) return { stop: async () => undefined };
    throw new Error(`Port ${port} is taken by something that is not an open registry`);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-registry-'));
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(
    config,
    ['version: 0.1', 'log:', '  level: warn', 'storage:', '  filesystem:', `    rootdirectory: ${dir}/data`, 'http:', `  addr: 127.0.0.1:${port}`, ''].join('\n'),
  );
  const proc = spawn('docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 10_000;
  while (!(await portOpen(port))) {
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

/** The registry on 127.0.0.1:5000 that the guest always reaches as 10.0.2.2:5000. */
export const startRegistry = () => startLocalRegistry(5000);
