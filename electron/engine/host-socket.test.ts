import { execFileSync } from 'node:child_process';
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

/**
 * An HTTP server on a unix socket speaking the two parts of the engine API these layers must carry: plain
 * requests and a hijacked (101 Upgrade) raw stream. The real dockerd is exercised by the VM suite.
 */
function startApi(sockPath: string): Promise<http.Server> {
  const srv = http.createServer((req, res) => {
    if (req.url?.endsWith('/_ping')) {
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
  hostSock = new HostSocket(path.join(dir, 'run', 'docker.sock'), tunnel, path.join(dir, 'guest-docker.sock'));
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
