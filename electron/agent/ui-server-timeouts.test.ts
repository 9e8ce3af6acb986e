import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startUiServer, UI_TIMEOUTS, type UiServer } from './ui-server';

const token = 'a-very-secret-token-for-tests';

/** Resolves with how long the server kept a raw TCP connection open after `send` was written. */
function heldOpenMs(port: number, send: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection({ host: '127.0.0.1', port });
    let started = 0;
    socket.on('connect', () => {
      started = Date.now();
      socket.write(send);
    });
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => resolve(Date.now() - started));
    setTimeout(() => reject(new Error('the server kept the connection open')), 10_000).unref();
  });
}

describe('UI server timeouts', () => {
  let dir: string;
  let server: UiServer;
  const logs: string[] = [];
  const timeouts = { headersMs: 500, requestMs: 800, keepAliveMs: 300, pingMs: 200 };

  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-ui-'));
    await fs.writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Berth</title>');
    server = await startUiServer({ token, port: 0, staticDir: dir, onConnection: () => {}, log: (l) => void logs.push(l), timeouts });
  });
  afterAll(async () => {
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('are seconds by default, not minutes', () => {
    expect(UI_TIMEOUTS.headersMs).toBeLessThanOrEqual(15_000);
    expect(UI_TIMEOUTS.requestMs).toBeLessThanOrEqual(30_000);
    expect(UI_TIMEOUTS.keepAliveMs).toBeLessThanOrEqual(10_000);
  });

  it('closes a request whose headers never finish', async () => {
    const held = await heldOpenMs(server.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: `);
    // Checked once a second: the deadline plus at most one check.
    expect(held).toBeLessThan(timeouts.headersMs + 2000);
  });

  it('closes an idle keep-alive connection after a request', async () => {
    const held = await heldOpenMs(server.port, `GET / HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n\r\n`);
    // Node closes an idle keep-alive socket one second after the advertised timeout (its own safety margin).
    expect(held).toBeLessThan(timeouts.keepAliveMs + 2000);
  });

  it('leaves an idle WebSocket open (it answers pings) and drops one that stops answering', async () => {
    const url = `ws://127.0.0.1:${server.port}/rpc?token=${token}`;
    const open = (ws: WebSocket) => new Promise((resolve) => ws.once('open', resolve));
    const idle = new WebSocket(url);
    const dead = new WebSocket(url, { autoPong: false });
    await Promise.all([open(idle), open(dead)]);
    let pings = 0;
    idle.on('ping', () => (pings += 1));
    const deadClosed = new Promise((resolve) => dead.once('close', resolve));
    // Well past every HTTP timeout above.
    await new Promise((resolve) => setTimeout(resolve, 2 * timeouts.requestMs));
    await deadClosed;
    expect(idle.readyState).toBe(WebSocket.OPEN);
    expect(pings).toBeGreaterThan(2);
    expect(logs.some((l) => l.includes('did not answer a ping'))).toBe(true);
    idle.close();
  });
});
