import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startAgent, type RunningAgent } from '../agent/agent';
import { berthPaths } from '../base/paths';
import { RpcClient } from '../protocol/client';
import { connectUnix } from '../protocol/unix';
import { openWebSocket } from '../protocol/websocket';
import type { BerthContract } from '../contract/contract';
import { keychainKey } from './keychain-key';
import { FileKeyCipher } from '../credentials/cipher';
import { CredentialStore, KEY_FILE } from '../credentials/store';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

// safeStorage exists only inside a running Electron app (whose binary cannot be had here); this object has the
// methods the adapter calls, with a reversible transformation so a skipped seal/unseal step fails the test.
const keychain = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'gnome_libsecret',
  encryptString: (s: string) => Buffer.from(`sealed:${s}`, 'utf8'),
  decryptString: (b: Buffer) => {
    const text = b.toString('utf8');
    if (!text.startsWith('sealed:')) throw new Error('not sealed by this keychain');
    return text.slice('sealed:'.length);
  },
} as unknown as SafeStorage;

describe('registry logins sealed by the OS keychain', () => {
  let agent: RunningAgent | undefined;
  afterEach(async () => {
    await agent?.stop();
    agent = undefined;
  });

  it('Electron main keeps one random key, stored only sealed by the keychain', async () => {
    const file = path.join(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-kc-')), 'keychain.key');
    const first = await keychainKey(file, keychain);
    expect(first).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(await keychainKey(file, keychain)).toBe(first);
    expect((await fs.readFile(file, 'utf8')).startsWith('sealed:')).toBe(true);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    const noKeyring = { ...keychain, getSelectedStorageBackend: () => 'basic_text' } as unknown as SafeStorage;
    expect(await keychainKey(file, noKeyring)).toBeNull();
  });

  it('switching re-seals existing logins: still usable, no longer opened by the key file', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-cred-'));
    const store = CredentialStore.open(dir);
    await store.login('registry.example:5000', 'ada', 's3cret-token');
    await store.useCipher(FileKeyCipher.withKeychainKey(Buffer.alloc(32, 7)));
    expect(store.storageKind).toBe('os-keychain');
    expect(await store.list()).toMatchObject([{ registry: 'registry.example:5000', username: 'ada', storage: 'os-keychain' }]);
    expect((await store.authConfig('registry.example:5000'))?.password).toBe('s3cret-token');
    // A store opened with only the key file (as after the app is gone) cannot read it.
    const fileOnly = new CredentialStore(dir, FileKeyCipher.open(path.join(dir, KEY_FILE)));
    await expect(fileOnly.authConfig('registry.example:5000')).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('the agent takes the key on its unix socket only, never from a page', async () => {
    const paths = berthPaths(await fs.mkdtemp(path.join(os.tmpdir(), 'berth-home-')));
    agent = await startAgent({ paths, logger: quiet });
    const key = Buffer.alloc(32, 9).toString('base64');
    const page = new RpcClient<BerthContract>(
      await openWebSocket(new WebSocket(`ws://127.0.0.1:${agent.info.port}/rpc?token=${agent.info.token}`) as never),
    );
    await expect(page.call('registry.useKeychainKey', { key })).rejects.toMatchObject({ code: 'unauthorized' });
    expect((await page.call('registry.list', {})).storage).toBe('file-key');

    const app = new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
    await app.call('registry.login', { registry: 'registry.example:5000', username: 'ada', secret: 'tok' });
    await expect(app.call('registry.useKeychainKey', { key: 'short' })).rejects.toMatchObject({ code: 'bad-request' });
    const after = await app.call('registry.useKeychainKey', { key });
    expect(after.storage).toBe('os-keychain');
    expect(after.logins).toMatchObject([{ registry: 'registry.example:5000', storage: 'os-keychain' }]);
    // What the UI shows comes from the same store.
    expect((await page.call('registry.list', {})).storage).toBe('os-keychain');
    page.close();
    app.close();
  });
});
