import path from 'node:path';

/**
 * What the UI's pages may do, in one place for both ways of serving them: browser mode (the agent's HTTP
 * server) and the Electron shell (its app:// protocol).
 */

/** The origin the Electron shell serves the renderer from (its custom protocol). */
export const ELECTRON_ORIGIN = 'app://berth';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
}

/** The page's Content-Security-Policy: nothing but the agent itself, and no inline scripts. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    // xterm.js and React set inline styles; no inline scripts are allowed.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: https:",
    "font-src 'self' data:",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * The built renderer's file for a request path: assets as named, everything else the single-page app's index.
 * Null for a path that would leave staticDir.
 */
export function rendererFile(staticDir: string, pathname: string): { file: string; isIndex: boolean } | null {
  const relative = pathname.startsWith('/assets/') ? pathname : '/index.html';
  const file = path.join(staticDir, path.normalize(relative).replace(/^(\.\.[/\\])+/, ''));
  if (!file.startsWith(staticDir + path.sep)) return null;
  return { file, isIndex: relative === '/index.html' };
}
