import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../base/errors';
import { HostKeyPin, ensureClientKey } from './ssh-keys';
import { Tunnel } from './tunnel';
import { startSshServer } from '../testing/ssh-server';

function startEcho(sockPath: string): Promise<net.Server> {
  const srv = net.createServer((s) => s.pipe(s));
  return new Promise((r) => srv.listen(sockPath, () => r(srv)));
}

async function echoThrough(t: Tunnel, sockPath: string, msg: string): Promise<string> {
  const ch = await t.streamLocal(sockPath);
  return new Promise((resolve) => {
    ch.once('data', (d: Buffer) => {
      resolve(d.toString());
      ch.close();
    });
    ch.write(msg);
  });
}

let dir: string;
let cleanup: (() => unknown)[] = [];
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-tunnel-'));
});
afterEach(async () => {
  for (const c of cleanup.reverse()) await c();
  cleanup = [];
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('Tunnel over a real SSH server', () => {
  it('makes a 0600 key pair once, connects with the pinned host key and multiplexes streamlocal channels', async () => {
    const key = await ensureClientKey(dir);
    expect(fs.statSync(path.join(dir, 'id_ed25519')).mode & 0o777).toBe(0o600);
    expect((await ensureClientKey(dir)).publicKey).toBe(key.publicKey);
    const host = ssh2.utils.generateKeyPairSync('ed25519');
    const srv = await startSshServer(host.private, key.publicKey);
    cleanup.push(srv.close);
    const echo = path.join(dir, 'echo.sock');
    const e = await startEcho(echo);
    cleanup.push(() => e.close());
    const pin = HostKeyPin.in(dir);
    await pin.set(host.public);
    const t = new Tunnel({ target: () => ({ host: '127.0.0.1', port: srv.port }), privateKey: key.privateKey, pin });
    cleanup.push(() => t.close());
    await t.connect(5000);
    const replies = await Promise.all(['a', 'b', 'c'].map((m) => echoThrough(t, echo, m)));
    expect(replies).toEqual(['a', 'b', 'c']);
  });

  it('refuses a host key that differs from the pin, with a hint naming the fix', async () => {
    const key = await ensureClientKey(dir);
    const real = ssh2.utils.generateKeyPairSync('ed25519');
    const impostor = ssh2.utils.generateKeyPairSync('ed25519');
    const srv = await startSshServer(impostor.private, key.publicKey);
    cleanup.push(srv.close);
    const pin = HostKeyPin.in(dir);
    await pin.set(real.public);
    const t = new Tunnel({ target: () => ({ host: '127.0.0.1', port: srv.port }), privateKey: key.privateKey, pin });
    cleanup.push(() => t.close());
    const err = (await t.connect(5000).catch((e: unknown) => e)) as BerthError;
    expect(err).toBeInstanceOf(BerthError);
    expect(err.code).toBe('host-key-mismatch');
    expect(err.hint).toContain('berth reset-host-key');
    expect(err.hint).toContain(pin.file);
    expect(t.state).toBe('refused');
    // Calls fail fast with the same error instead of waiting for a timeout.
    await expect(t.streamLocal('/x')).rejects.toMatchObject({ code: 'host-key-mismatch' });
    // After an explicit reset the next key is trusted and pinned.
    await pin.clear();
    t.retryNow();
    await t.connect(5000);
    expect(await pin.get()).toBe(impostor.public.split(' ').slice(0, 2).join(' '));
  });

  it('reconnects on its own after the server drops the connection, and calls work again', async () => {
    const key = await ensureClientKey(dir);
    const host = ssh2.utils.generateKeyPairSync('ed25519');
    const srv = await startSshServer(host.private, key.publicKey);
    const echo = path.join(dir, 'echo.sock');
    const e = await startEcho(echo);
    cleanup.push(() => e.close());
    const pin = HostKeyPin.in(dir);
    await pin.set(host.public);
    let port = srv.port;
    const t = new Tunnel({ target: () => ({ host: '127.0.0.1', port }), privateKey: key.privateKey, pin, backoffInitialMs: 50 });
    cleanup.push(() => t.close());
    await t.connect(5000);
    const events: string[] = [];
    t.on('disconnected', () => events.push('down'));
    t.on('connected', () => events.push('up'));

    srv.dropAll();
    await new Promise<void>((r) => t.once('connected', () => r()));
    expect(events).toEqual(['down', 'up']);
    expect(await echoThrough(t, echo, 'again')).toBe('again');

    // The whole server goes away and comes back (sshd restart): a call made meanwhile waits and then succeeds.
    await srv.close();
    t.dropConnection();
    const pending = echoThrough(t, echo, 'waited');
    await new Promise((r) => setTimeout(r, 300));
    const srv2 = await startSshServer(host.private, key.publicKey, port);
    port = srv2.port;
    cleanup.push(srv2.close);
    expect(await pending).toBe('waited');
  });
});
