import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BerthError } from '../base/errors';
import { engineLoginCheck } from './engine-verify';
import { CredentialStore } from './store';

// Real dockerode against a local server answering POST /auth the way dockerd does (no engine runs in unit
// tests; the VM suites cover the real one).

let server: http.Server;
let docker: Docker;
const bodies: unknown[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || !req.url?.endsWith('/auth')) return send(404, { message: 'page not found' });
      const auth = JSON.parse(text) as { username: string; password: string; serveraddress: string };
      bodies.push(auth);
      if (auth.serveraddress === 'nowhere.example') {
        return send(500, { message: 'Get "https://nowhere.example/v2/": dial tcp: lookup nowhere.example: no such host' });
      }
      if (auth.username === 'me' && auth.password === 'right') return send(200, { Status: 'Login Succeeded', IdentityToken: '' });
      send(401, { message: `login attempt to ${auth.serveraddress} failed with status: 401 Unauthorized` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  docker = new Docker({ protocol: 'http', host: '127.0.0.1', port: (server.address() as AddressInfo).port });
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

async function failure(p: Promise<unknown>): Promise<BerthError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(BerthError);
    return err as BerthError;
  }
  throw new Error('expected a failure');
}

describe('engineLoginCheck', () => {
  it('passes the credentials to POST /auth and accepts a good login', async () => {
    await engineLoginCheck(docker)({ username: 'me', password: 'right', serveraddress: 'https://index.docker.io/v1/' });
    expect(bodies.at(-1)).toEqual({ username: 'me', password: 'right', serveraddress: 'https://index.docker.io/v1/' });
  });

  it('a 401 is unauthorized and stores nothing', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-verify-'));
    try {
      const store = CredentialStore.open(dir);
      const err = await failure(store.login('ghcr.io', 'me', 'wrong', { verify: engineLoginCheck(docker) }));
      expect(err.code).toBe('unauthorized');
      expect(err.message).toBe('ghcr.io did not accept these credentials');
      expect(await store.list()).toEqual([]);
      await store.login('ghcr.io', 'me', 'right', { verify: engineLoginCheck(docker) });
      expect(await store.list()).toHaveLength(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a registry the engine cannot reach is offline', async () => {
    const err = await failure(engineLoginCheck(docker)({ username: 'me', password: 'x', serveraddress: 'nowhere.example' }));
    expect(err.code).toBe('offline');
    expect(err.hint).toContain('no such host');
  });

  it('no engine at all is an engine error', async () => {
    const gone = new Docker({ protocol: 'http', host: '127.0.0.1', port: 1 });
    const err = await failure(engineLoginCheck(gone)({ username: 'me', password: 'x', serveraddress: 'ghcr.io' }));
    expect(err.code).toBe('engine');
  });
});
