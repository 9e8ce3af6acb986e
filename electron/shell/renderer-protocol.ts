import fs from 'node:fs/promises';
import path from 'node:path';
import { contentSecurityPolicy } from '../agent/ui-server';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/**
 * Answers a request for app://berth/... from the built renderer, with the same CSP as browser mode (whose
 * connect-src names only the agent). Plain Node, so it is tested without Electron.
 */
export async function serveRendererFile(staticDir: string, requestUrl: string, agentPort: number): Promise<Response> {
  const url = new URL(requestUrl);
  const relative = url.pathname.startsWith('/assets/') ? url.pathname : '/index.html';
  const file = path.join(staticDir, path.normalize(relative));
  if (url.host !== 'berth' || !file.startsWith(staticDir + path.sep)) return new Response('Not found', { status: 404 });
  try {
    const body = await fs.readFile(file);
    return new Response(body, {
      headers: {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'content-security-policy': contentSecurityPolicy(agentPort),
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
