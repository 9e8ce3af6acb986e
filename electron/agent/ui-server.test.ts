import fs from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startUiServer, type UiServer } from './ui-server';

const token = 'a-very-secret-token-for-tests';

function get(port: number, pathAndQuery: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: pathAndQuery, headers }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

/** Resolves 'open' or the HTTP status the server refused the upgrade with. */
function tryWebSocket(url: string, origin?: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, ...(origin ? { origin } : {}) });
    ws.on('open', () => {
      ws.close();
      resolve('open');
    });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('error', () => resolve(0));
  });
}

describe('UI server access control', () => {
  let dir: string;
  let server: UiServer;
  let connections = 0;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-ui-'));
    await fs.mkdir(path.join(dir, 'assets'));
    await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Berth</title>');
    await fs.writeFile(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
    await fs.writeFile(path.join(path.dirname(dir), 'outside-secret.txt'), 'secret');
    server = await startUiServer({ token, port: 0, staticDir: dir, onConnection: () => void connections++, log: (l) => void logs.push(l) });
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });

  it('serves the page and its assets without the token (they hold no secret), with a strict CSP and no cookie', async () => {
    for (const pathAndQuery of ['/', '/index.html', `/?token=${token}`, '/?token=wrong']) {
      const page = await get(server.port, pathAndQuery);
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>Berth</title>');
      expect(page.headers['set-cookie']).toBeUndefined();
      const csp = String(page.headers['content-security-policy']);
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
      expect(page.headers['x-frame-options']).toBe('DENY');
      expect(page.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(page.headers['referrer-policy']).toBe('no-referrer');
    }
    const asset = await get(server.port, '/assets/app.js');
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['set-cookie']).toBeUndefined();
  });

  it('has nothing else to serve, and only reads', async () => {
    expect((await get(server.port, '/api/anything')).status).toBe(404);
    expect((await get(server.port, '/favicon.ico')).status).toBe(404);
    const post = await new Promise<number>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: server.port, path: '/', method: 'POST' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end('x');
    });
    expect(post).toBe(405);
  });

  it('does not serve files outside the UI folder', async () => {
    const res = await get(server.port, `/assets/../../outside-secret.txt?token=${token}`);
    expect(res.body).not.toContain('secret');
  });

  it('refuses requests whose Host is not loopback (DNS rebinding)', async () => {
    expect((await get(server.port, '/', { host: `evil.example:${server.port}` })).status).toBe(421);
    expect((await get(server.port, '/assets/app.js', { host: `127.0.0.1:${server.port + 1}` })).status).toBe(421);
    const upgrade = await tryWebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${token}`, undefined, { host: `evil.example:${server.port}` });
    expect(upgrade).toBe(421);
  });

  it('accepts a WebSocket only with the right token and an allowed Origin', async () => {
    const base = `ws://127.0.0.1:${server.port}/rpc`;
    const before = connections;
    expect(await tryWebSocket(base)).toBe(401);
    expect(await tryWebSocket(`${base}?token=wrong`)).toBe(401);
    expect(await tryWebSocket(`${base}?token=${token}`, 'http://evil.example')).toBe(403);
    expect(await tryWebSocket(`${base}?token=${token}`, `http://localhost:${server.port + 1}`)).toBe(403);
    expect(connections).toBe(before);
    expect(await tryWebSocket(`${base}?token=${token}`, `http://127.0.0.1:${server.port}`)).toBe('open');
    expect(await tryWebSocket(`${base}?token=${token}`, 'app://berth')).toBe('open');
    // A program without an Origin (the CLI style) needs the token alone.
    expect(await tryWebSocket(`${base}?token=${token}`)).toBe('open');
    expect(connections).toBe(before + 3);
  });

  it('takes the token only explicitly: a cookie (which browsers send to every port) opens nothing', async () => {
    const base = `ws://127.0.0.1:${server.port}/rpc`;
    const cookie = `berth_token=${token}`;
    expect(await tryWebSocket(base, `http://127.0.0.1:${server.port}`, { cookie })).toBe(401);
    expect(await tryWebSocket(base, undefined, { cookie })).toBe(401);
  });

  it('logs at most a short quoted excerpt of what a refused client chose', async () => {
    logs.length = 0;
    const long = 'x'.repeat(5000);
    expect(await tryWebSocket(`ws://127.0.0.1:${server.port}/${long}`)).toBe(404);
    expect(await tryWebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${token}`, `http://${long}.example`)).toBe(403);
    expect(logs).toHaveLength(2);
    for (const line of logs) {
      expect(line.length).toBeLessThan(300);
    }
  });
});
