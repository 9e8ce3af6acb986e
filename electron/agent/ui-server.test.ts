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
function tryWebSocket(url: string, origin?: string): Promise<'open' | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
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

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-ui-'));
    await fs.mkdir(path.join(dir, 'assets'));
    await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Berth</title>');
    await fs.writeFile(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
    await fs.writeFile(path.join(path.dirname(dir), 'outside-secret.txt'), 'secret');
    server = await startUiServer({ token, port: 0, staticDir: dir, onConnection: () => void connections++, log: () => {} });
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('listens on loopback only', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
  });

  it('refuses the page without a token or with a wrong one', async () => {
    expect((await get(server.port, '/')).status).toBe(401);
    expect((await get(server.port, '/?token=wrong')).status).toBe(401);
    expect((await get(server.port, '/assets/app.js')).status).toBe(401);
  });

  it('serves the page with the token, a strict CSP and an HttpOnly cookie for its assets', async () => {
    const page = await get(server.port, `/?token=${token}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Berth</title>');
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const asset = await get(server.port, '/assets/app.js', { cookie: cookie.split(';')[0] });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toContain('javascript');
  });

  it('does not serve files outside the UI folder', async () => {
    const res = await get(server.port, `/assets/../../outside-secret.txt?token=${token}`);
    expect(res.body).not.toContain('secret');
  });

  it('refuses requests whose Host is not loopback (DNS rebinding)', async () => {
    const res = await get(server.port, `/?token=${token}`, { host: `evil.example:${server.port}` });
    expect(res.status).toBe(421);
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
    expect(connections).toBe(before + 2);
  });
});
