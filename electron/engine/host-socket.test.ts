import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contextMetaFile, ensureDockerContext, writeContextMeta } from './docker-context';
import { createDocker } from './docker';
import { HostSocket } from './host-socket';
import { HostKeyPin, ensureClientKey } from './ssh-keys';
import { startSshServer } from '../testing/ssh-server';
import { Tunnel } from './tunnel';

const execFileAsync = promisify(execFile);

/**
 * An HTTP server on a unix socket speaking the two parts of the engine API these layers must carry: plain
 * requests and a hijacked (101 Upgrade) raw stream. The real dockerd is exercised by the VM suite.
 */
/** Container creates the fake engine received: what the host socket let through. */
const creates: { url: string; body: string }[] = [];

function startApi(sockPath: string): Promise<http.Server> {
  const srv = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url?.split('?')[0].endsWith('/containers/create')) {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        creates.push({ url: req.url ?? '', body });
        res.statusCode = 201;
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify({ Id: `c${creates.length}`, Warnings: [] }));
      });
    } else if (req.url?.endsWith('/events')) {
      // Streamed like `docker events`: chunks with pauses, then the end.
      res.setHeader('Content-Type', 'application/json');
      let n = 0;
      const t = setInterval(() => {
        res.write(`{"n":${n}}\n`);
        if (++n === 3) {
          clearInterval(t);
          res.end();
        }
      }, 20);
    } else if (req.url?.endsWith('/_ping')) {
      res.setHeader('Api-Version', '1.45');
      res.end('OK');
    } else if (req.url?.endsWith('/version')) {
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify({ ApiVersion: '1.45', Version: 'test' }));
    } else {
      res.statusCode = 404;
      res.end('{}');
    }
  });
  srv.on('upgrade', (_req, sock) => {
    sock.write('HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n');
    sock.on('data', (d: Buffer) => sock.write(`echo:${d.toString()}`));
    // Like dockerd after the client half-closes stdin: finish the output, then close.
    sock.on('end', () => sock.end('bye'));
  });
  return new Promise((r) => srv.listen(sockPath, () => r(srv)));
}

let dir: string;
let tunnel: Tunnel;
let hostSock: HostSocket;
const closers: (() => unknown)[] = [];

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-hostsock-'));
  const key = await ensureClientKey(dir);
  const host = ssh2.utils.generateKeyPairSync('ed25519');
  const ssh = await startSshServer(host.private, key.publicKey);
  closers.push(ssh.close);
  const api = await startApi(path.join(dir, 'guest-docker.sock'));
  closers.push(() => api.close());
  const pin = HostKeyPin.in(dir);
  await pin.set(host.public);
  tunnel = new Tunnel({ target: () => ({ host: '127.0.0.1', port: ssh.port }), privateKey: key.privateKey, pin });
  closers.push(() => tunnel.close());
  await tunnel.connect(5000);
  hostSock = new HostSocket(path.join(dir, 'run', 'docker.sock'), tunnel, path.join(dir, 'guest-docker.sock'), () => ['/root/shared']);
  await hostSock.listen();
  closers.push(() => hostSock.close());
});
afterAll(async () => {
  for (const c of closers.reverse()) await c();
  fs.rmSync(dir, { recursive: true, force: true });
});

function rawRequest(sockPath: string, text: string, halfClose: string | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = http.request({ socketPath: sockPath, path: '/v1.45/containers/x/attach', method: 'POST', headers: { Connection: 'Upgrade', Upgrade: 'tcp' } });
    s.on('upgrade', (_res, sock, head) => {
      let out = head.toString();
      sock.on('data', (d: Buffer) => (out += d.toString()));
      sock.on('end', () => resolve(out));
      sock.write(text);
      if (halfClose !== null) setTimeout(() => sock.end(halfClose), 50);
    });
    s.on('error', reject);
    s.end();
  });
}

describe('host socket and dockerode over the tunnel', () => {
  it('serves the API on a 0600 socket in a 0700 directory', async () => {
    expect(fs.statSync(hostSock.socketPath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(hostSock.socketPath)).mode & 0o777).toBe(0o700);
    const body = await new Promise<string>((resolve, reject) => {
      http.get({ socketPath: hostSock.socketPath, path: '/_ping' }, (res) => {
        let b = '';
        res.on('data', (d) => (b += d));
        res.on('end', () => resolve(b));
      }).on('error', reject);
    });
    expect(body).toBe('OK');
  });

  it('carries hijacked streams byte for byte, half-close included', async () => {
    expect(await rawRequest(hostSock.socketPath, 'hello', '')).toBe('echo:hellobye');
  });

  it('dockerode through the keep-alive agent: ping, version, and reuse of one channel', async () => {
    const { docker, agent } = createDocker(tunnel, path.join(dir, 'guest-docker.sock'));
    expect(String(await docker.ping())).toBe('OK');
    expect((await docker.version()).Version).toBe('test');
    for (let i = 0; i < 5; i++) await docker.ping();
    const free = Object.values(agent.freeSockets).flat().length;
    expect(free).toBe(1);
    agent.destroy();
  });
});

function send(
  method: string,
  urlPath: string,
  body: string | Buffer[] | null,
  agent?: http.Agent,
): Promise<{ status: number; body: string; socket: unknown }> {
  return new Promise((resolve, reject) => {
    const chunked = Array.isArray(body);
    const req = http.request(
      {
        socketPath: hostSock.socketPath,
        path: urlPath,
        method,
        agent,
        headers: { 'Content-Type': 'application/json', ...(chunked ? { 'Transfer-Encoding': 'chunked' } : {}) },
      },
      (res) => {
        let b = '';
        res.on('data', (d: Buffer) => (b += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b, socket: req.socket }));
      },
    );
    req.on('error', reject);
    if (Array.isArray(body)) {
      // Each piece goes out as its own chunk, a tick apart, so the chunks reach the socket separately.
      void (async () => {
        for (const piece of body) {
          req.write(piece);
          await new Promise((r) => setTimeout(r, 5));
        }
        req.end();
      })();
    } else req.end(body ?? undefined);
  });
}

const createBody = (HostConfig: object) => JSON.stringify({ Image: 'busybox', Cmd: ['true'], HostConfig });

describe('container creates through the host socket', () => {
  it('refuses a bind of an unshared folder with the engine\'s error shape; nothing reaches the engine', async () => {
    const before = creates.length;
    const r = await send('POST', '/v1.45/containers/create?name=x', createBody({ Binds: ['/srv/unshared:/data:ro'] }));
    expect(r.status).toBe(400);
    const message = (JSON.parse(r.body) as { message: string }).message;
    expect(message).toMatch(/^\/srv\/unshared is not shared with the Berth VM/);
    expect(message).toContain('Settings > Shared folders');
    expect(message).toContain(`berth settings set 'shares=["/root/shared","/srv/unshared"]'`);
    expect(message).toContain('restart the VM');
    expect(creates.length).toBe(before);
  });

  it('judges Mounts of type bind too, without the version prefix and with a chunked body', async () => {
    const body = createBody({ Mounts: [{ Type: 'bind', Source: '/opt/x', Target: '/x' }] });
    const r = await send('POST', '/containers/create', [Buffer.from(body.slice(0, 10)), Buffer.from(body.slice(10))]);
    expect(r.status).toBe(400);
    expect(r.body).toMatch(/\/opt\/x is not shared/);
  });

  it('passes shared folders, named volumes and guest paths through byte for byte', async () => {
    const body = createBody({
      Binds: ['/root/shared/app:/app:ro', 'data:/data', '/var/run/docker.sock:/var/run/docker.sock'],
      Mounts: [{ Type: 'bind', Source: '/root/shared/', Target: '/s' }],
    });
    const r = await send('POST', '/v1.45/containers/create?name=ok', body);
    expect(r.status).toBe(201);
    expect(creates.at(-1)).toEqual({ url: '/v1.45/containers/create?name=ok', body });
    const chunked = await send('POST', '/containers/create', [Buffer.from(body.slice(0, 7)), Buffer.from(body.slice(7))]);
    expect(chunked.status).toBe(201);
    expect(creates.at(-1)?.body).toBe(body);
  });

  it('keeps the connection usable after a refusal, and streamed answers flow as they come', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const refused = await send('POST', '/containers/create', createBody({ Binds: ['/srv/a:/a'] }), agent);
    const ok = await send('POST', '/containers/create', createBody({ Binds: ['/root/shared:/a'] }), agent);
    const events = await send('GET', '/events', null, agent);
    expect([refused.status, ok.status]).toEqual([400, 201]);
    expect(ok.socket).toBe(refused.socket);
    expect(events.body).toBe('{"n":0}\n{"n":1}\n{"n":2}\n');
    agent.destroy();
  });

  it('the docker CLI prints the refusal', async () => {
    const env = { ...process.env, DOCKER_CONFIG: path.join(dir, 'dockercfg-create'), DOCKER_HOST: `unix://${hostSock.socketPath}` };
    const before = creates.length;
    // Not spawnSync: this process serves the socket the CLI talks to.
    const r = await execFileAsync('docker', ['create', '-v', '/srv/unshared-cli:/data', 'busybox', 'true'], { env }).then(
      () => ({ failed: false, stderr: '' }),
      (e: { stderr: string }) => ({ failed: true, stderr: e.stderr }),
    );
    expect(r.failed).toBe(true);
    expect(r.stderr).toContain('/srv/unshared-cli is not shared with the Berth VM');
    expect(r.stderr).toContain('Settings > Shared folders');
    expect(creates.length).toBe(before);
  });
});

describe('docker context', () => {
  it('the real docker CLI reads the context metadata we write without it', () => {
    const env = { ...process.env, DOCKER_CONFIG: path.join(dir, 'dockercfg') };
    return writeContextMeta('berth', '/run/x/docker.sock', env).then(() => {
      expect(fs.existsSync(contextMetaFile('berth', env))).toBe(true);
      const out = execFileSync('docker', ['context', 'inspect', 'berth', '--format', '{{.Endpoints.docker.Host}}'], { env, encoding: 'utf8' });
      expect(out.trim()).toBe('unix:///run/x/docker.sock');
    });
  });

  it('creates then updates the context through the CLI and leaves the current context alone', async () => {
    const env = { ...process.env, DOCKER_CONFIG: path.join(dir, 'dockercfg2') };
    expect(await ensureDockerContext('/a/docker.sock', env)).toBe('created');
    expect(await ensureDockerContext('/b/docker.sock', env)).toBe('updated');
    const host = execFileSync('docker', ['context', 'inspect', 'berth', '--format', '{{.Endpoints.docker.Host}}'], { env, encoding: 'utf8' });
    expect(host.trim()).toBe('unix:///b/docker.sock');
    expect(execFileSync('docker', ['context', 'show'], { env, encoding: 'utf8' }).trim()).toBe('default');
  });
});
