import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Connection } from '../protocol/connection';
import { MAX_FRAME_BYTES } from '../protocol/frames';
import { contentSecurityPolicy, contentType, ELECTRON_ORIGIN, rendererFile } from '../base/web-policy';

const COOKIE = 'berth_token';

export interface UiServerOptions {
  token: string;
  port: number;
  /** Built renderer (index.html + assets); may not exist yet. */
  staticDir: string;
  onConnection(conn: Connection): void;
  log(message: string): void;
}

export interface UiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function cookieToken(header: string | undefined): string | null {
  for (const part of (header ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return null;
}

/**
 * Serves browser mode: the built UI and the WebSocket the UI speaks the protocol over, on 127.0.0.1 only.
 * Every request needs the token (in the URL once, then in an HttpOnly SameSite cookie); WebSocket upgrades
 * also need an Origin of this server or of the Electron shell, and a Host naming loopback (DNS rebinding).
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const { token, staticDir, log } = options;
  let port = options.port;
  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = () => new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`, ELECTRON_ORIGIN]);

  const refuse = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(message + '\n');
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!allowedHosts().has(req.headers.host ?? '')) return refuse(res, 421, 'Misdirected request');
    const fromQuery = url.searchParams.get('token');
    if (!sameToken(fromQuery ?? cookieToken(req.headers.cookie), token)) {
      log(`refused ${req.method} ${url.pathname}: missing or wrong token`);
      return refuse(res, 401, 'Berth: open the URL printed by `npm run web` (it carries the access token).');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');

    const headers: Record<string, string> = {
      'content-security-policy': contentSecurityPolicy(port),
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    };
    if (fromQuery) headers['set-cookie'] = `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;

    // Everything that is not an asset is the single-page app's index.
    const target = rendererFile(staticDir, url.pathname);
    if (!target) return refuse(res, 404, 'Not found');
    try {
      const body = await fs.readFile(target.file);
      headers['content-type'] = contentType(target.file);
      res.writeHead(200, headers);
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      if (target.isIndex) {
        return refuse(res, 503, 'The Berth UI is not built yet: run `npm run web` (it builds it) or `npm run build:renderer`.');
      }
      refuse(res, 404, 'Not found');
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const origin = req.headers.origin;
    const reject = (status: number, why: string) => {
      log(`refused a WebSocket: ${why}`);
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\n\r\n`);
    };
    if (url.pathname !== '/rpc') return reject(404, `path ${url.pathname}`);
    if (!allowedHosts().has(req.headers.host ?? '')) return reject(421, `host ${req.headers.host}`);
    // Browsers always send Origin; a local program without one still needs the token (readable only by the user).
    if (origin !== undefined && !allowedOrigins().has(origin)) return reject(403, `foreign origin ${origin}`);
    if (!sameToken(url.searchParams.get('token') ?? cookieToken(req.headers.cookie), token)) {
      return reject(401, 'missing or wrong token');
    }
    wss.handleUpgrade(req, socket, head, (ws) => options.onConnection(webSocketConnection(ws)));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;

  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function webSocketConnection(ws: WebSocket): Connection {
  return {
    transport: 'websocket',
    send: (frame, written) => {
      if (ws.readyState !== ws.OPEN) return written(new Error('closed'));
      ws.send(frame, written);
    },
    onFrame: (handler) => ws.on('message', (data, isBinary) => handler(isBinary ? '' : data.toString())),
    onClose: (handler) => {
      ws.on('close', handler);
      ws.on('error', () => {});
    },
    close: () => ws.close(1008),
  };
}
