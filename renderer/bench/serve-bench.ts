/**
 * Builds the bench page (renderer/bench, the real views in production React) and serves it on loopback: for
 * `npm run bench:ui` and for e2e/windowed-lists.spec.ts (its `?fixture` mode).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** `outDir` under dist/ (the spec and a bench may run at once); `unminified` keeps function names for traces. */
export async function serveBenchPage(opts: {
  outDir: string;
  unminified?: boolean;
}): Promise<{ url: string; close(): void }> {
  const out = path.join(ROOT, 'dist', opts.outDir);
  const build = spawnSync(
    process.execPath,
    [
      path.join(ROOT, 'node_modules/vite/bin/vite.js'),
      'build',
      '--config',
      'renderer/bench/vite.bench.config.ts',
    ],
    {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, BERTH_BENCH_TRACE: opts.unminified ? '1' : '0', BERTH_BENCH_OUT: out },
    },
  );
  if (build.status !== 0) throw new Error('building the bench page failed (the vite output is above)');
  const server = http.createServer(async (req, res) => {
    const rel = new URL(req.url ?? '/', 'http://x').pathname;
    const file = path.join(out, rel === '/' ? 'index.html' : path.normalize(rel));
    if (!file.startsWith(out)) return void res.writeHead(404).end();
    try {
      const body = await fs.readFile(file);
      const type = file.endsWith('.js')
        ? 'text/javascript'
        : file.endsWith('.css')
          ? 'text/css'
          : 'text/html';
      res.writeHead(200, { 'content-type': type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}
