import fs from 'node:fs/promises';
import http from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import type * as wsModule from 'ws';
import { lazyPackage } from '../base/lazy-package';
import type { Connection } from '../protocol/connection';
import { MAX_FRAME_BYTES } from '../protocol/frames';
import { contentSecurityPolicy, contentType, rendererFile } from '../base/web-policy';
import { judgePageRequest, judgeUpgrade, type AccessRules } from './ui-access';

/** Only the agent serves the UI: a CLI run of the same bundle does not load ws. */
const ws = lazyPackage<typeof wsModule>('ws');

/**
 * How long the server waits on a client that is slow to speak. Seconds: a browser on the same machine sends a
 * request in microseconds, and a held-open half-sent request only costs the agent a socket.
 */
export interface UiTimeouts {
  /** Until a request's headers are complete. */
  headersMs: number;
  /** Until a whole request is complete. */
  requestMs: number;
  /** An idle keep-alive connection between requests. */
  keepAliveMs: number;
  /** WebSockets are long-lived by design; each is pinged this often, and one that missed the last pong is dropped. */
  pingMs: number;
}

export const UI_TIMEOUTS: UiTimeouts = { headersMs: 10_000, requestMs: 15_000, keepAliveMs: 5_000, pingMs: 30_000 };

export interface UiServerOptions {
  token: string;
  port: number;
  /** Built renderer (index.html + assets); may not exist yet. */
  staticDir: string;
  onConnection(conn: Connection): void;
  log(message: string): void;
  timeouts?: Partial<UiTimeouts>;
}

export interface UiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

/** Only the page and its assets exist; anything else is not found (the app routes by the URL's hash). */
function isUiShellPath(pathname: string): boolean {
  return pathname === '/' || pathname === '/index.html' || pathname.startsWith('/assets/');
}

/**
 * Serves browser mode on 127.0.0.1 only: the UI's static files, and the WebSocket the UI speaks the protocol
 * over. Who may reach what is ui-access.ts; see README.md beside this file for the threats each guard meets.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const { token, staticDir, log } = options;
  const timeouts = { ...UI_TIMEOUTS, ...options.timeouts };
  let port = options.port;
  const rules: AccessRules = { token, port: () => port };

  const refuse = (res: http.ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
    res.end(message + '\n');
  };

  const server = http.createServer(
    // Checked every second, so a half-sent request is closed close to its deadline rather than up to 30 s later.
    { headersTimeout: timeouts.headersMs, requestTimeout: timeouts.requestMs, connectionsCheckingInterval: 1000 },
    async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const verdict = judgePageRequest(rules, req.method, req.headers.host);
      if (!verdict.ok) {
        log(`refused a request: ${verdict.why}`);
        return refuse(res, verdict.status, http.STATUS_CODES[verdict.status] ?? 'Refused');
      }
      const target = isUiShellPath(url.pathname) ? rendererFile(staticDir, url.pathname) : null;
      if (!target) return refuse(res, 404, 'Not found');
      try {
        const body = await fs.readFile(target.file);
        res.writeHead(200, {
          'content-type': contentType(target.file),
          'content-security-policy': contentSecurityPolicy(port),
          'x-content-type-options': 'nosniff',
          'x-frame-options': 'DENY',
          // Other local web apps are same-site (cookies ignore ports): they may not embed these files either.
          'cross-origin-resource-policy': 'same-origin',
          'referrer-policy': 'no-referrer',
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        if (target.isIndex) {
          return refuse(res, 503, 'The Berth UI is not built yet: run `npm run web` (it builds it) or `npm run build:renderer`.');
        }
        refuse(res, 404, 'Not found');
      }
    },
  );
  server.keepAliveTimeout = timeouts.keepAliveMs;

  const wss = new (ws().WebSocketServer)({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  const liveness = pingClients(wss, timeouts.pingMs, log);
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const verdict = judgeUpgrade(rules, {
      pathname: url.pathname,
      host: req.headers.host,
      origin: req.headers.origin,
      token: url.searchParams.get('token'),
    });
    if (!verdict.ok) {
      log(`refused a WebSocket: ${verdict.why}`);
      socket.end(`HTTP/1.1 ${verdict.status} ${http.STATUS_CODES[verdict.status]}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      liveness.watch(ws);
      options.onConnection(webSocketConnection(ws));
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, '127.0.0.1', () => resolve());
    });
  } catch (err) {
    // A port already taken: nothing may keep running for a server that never listened (the caller may retry).
    liveness.stop();
    wss.close();
    throw err;
  }
  port = (server.address() as { port: number }).port;

  return {
    port,
    url: `http://127.0.0.1:${port}/?token=${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        liveness.stop();
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * Idle WebSockets are fine (the UI holds one for hours); dead ones are not: a peer that vanished without a close
 * (a suspended laptop's browser, a killed process behind a proxy) would hold its streams forever.
 */
function pingClients(wss: WebSocketServer, intervalMs: number, log: (message: string) => void) {
  const answered = new WeakMap<WebSocket, boolean>();
  const timer = setInterval(() => {
    for (const ws of wss.clients) {
      if (!answered.get(ws)) {
        log('dropping a WebSocket client that did not answer a ping');
        ws.terminate();
        continue;
      }
      answered.set(ws, false);
      ws.ping();
    }
  }, intervalMs);
  timer.unref();
  return {
    watch(ws: WebSocket) {
      answered.set(ws, true);
      ws.on('pong', () => answered.set(ws, true));
    },
    stop: () => clearInterval(timer),
  };
}

/** How long a closing WebSocket may take to say goodbye before it is cut (a peer that does not read never does). */
const CLOSE_GRACE_MS = 1000;

function webSocketConnection(ws: WebSocket): Connection {
  return {
    transport: 'websocket',
    send: (frame, written) => {
      if (ws.readyState !== ws.OPEN) return written(new Error('closed'));
      ws.send(frame, written);
    },
    // A binary message is no frame of ours: it becomes one the server refuses (and closes for).
    onFrame: (handler) => ws.on('message', (data, isBinary) => handler(isBinary ? '' : data.toString())),
    onClose: (handler) => {
      ws.on('close', handler);
      ws.on('error', () => {});
    },
    close: () => {
      ws.close(1008);
      setTimeout(() => ws.terminate(), CLOSE_GRACE_MS).unref();
    },
  };
}
