import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../base/errors';
import { FileKeyCipher } from './cipher';
import { DOCKER_HUB_REGISTRY, normalizeRegistry, registryForImage } from './registry';
import { safeStorageCipher } from '../shell/safe-storage-cipher';
import { CREDENTIALS_FILE, CredentialStore, KEY_FILE, encodeRegistryAuth } from './store';

let dir: string;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-creds-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const credsDir = () => path.join(dir, 'credentials');
const mode = (file: string) => fs.statSync(file).mode & 0o777;
const PASSWORD = 'hunter2-correct-horse-battery-staple';

async function berthError(p: Promise<unknown>): Promise<BerthError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(BerthError);
    return err as BerthError;
  }
  throw new Error('expected a BerthError, got success');
}

describe('CredentialStore', () => {
  it('round-trips a login and lists it without the secret', async () => {
    const store = CredentialStore.open(credsDir());
    const login = await store.login('ghcr.io', 'octocat', PASSWORD);
    expect(login).toMatchObject({ registry: 'ghcr.io', username: 'octocat', storage: 'file-key' });
    expect(await store.authConfig('ghcr.io')).toEqual({ username: 'octocat', password: PASSWORD, serveraddress: 'ghcr.io' });

    const list = await store.list();
    expect(list).toEqual([login]);
    expect(JSON.stringify(list)).not.toContain(PASSWORD);

    // A new store over the same directory (an agent restart) reads what was written.
    const again = CredentialStore.open(credsDir());
    expect((await again.authConfig('https://ghcr.io/'))?.password).toBe(PASSWORD);
  });

  it('keeps the directory 0700 and both files 0600', async () => {
    const store = CredentialStore.open(credsDir());
    await store.login('docker.io', 'me', PASSWORD);
    expect(mode(credsDir())).toBe(0o700);
    expect(mode(path.join(credsDir(), CREDENTIALS_FILE))).toBe(0o600);
    expect(mode(path.join(credsDir(), KEY_FILE))).toBe(0o600);
    // Only the final file remains; no temp files are left behind.
    expect(fs.readdirSync(credsDir()).sort()).toEqual([KEY_FILE, CREDENTIALS_FILE].sort());
  });

  it('never writes the password in a recognizable form', async () => {
    const store = CredentialStore.open(credsDir());
    await store.login('registry.example.com:5000', 'me', PASSWORD);
    const raw = fs.readFileSync(path.join(credsDir(), CREDENTIALS_FILE));
    expect(raw.includes(PASSWORD)).toBe(false);
    expect(raw.includes(Buffer.from(PASSWORD).toString('base64'))).toBe(false);
    expect(raw.includes(Buffer.from(PASSWORD).toString('hex'))).toBe(false);
    // The sealed secret differs each time (random IV), so equal passwords do not show as equal.
    await store.login('other.example.com', 'me', PASSWORD);
    const file = JSON.parse(fs.readFileSync(path.join(credsDir(), CREDENTIALS_FILE), 'utf8'));
    expect(file.entries[0].sealed).not.toBe(file.entries[1].sealed);
  });

  it('logout removes the login and says whether there was one', async () => {
    const store = CredentialStore.open(credsDir());
    await store.login('quay.io', 'me', PASSWORD);
    await store.login('docker.io', 'hubuser', 'other');
    expect(await store.logout('quay.io')).toBe(true);
    expect(await store.logout('quay.io')).toBe(false);
    expect(await store.authConfig('quay.io')).toBeNull();
    expect((await store.list()).map((l) => l.registry)).toEqual([DOCKER_HUB_REGISTRY]);
    expect(fs.readFileSync(path.join(credsDir(), CREDENTIALS_FILE), 'utf8')).not.toContain('quay.io');
  });

  it('logging in again replaces the old login', async () => {
    const store = CredentialStore.open(credsDir());
    await store.login('index.docker.io', 'first', 'one');
    await store.login('registry-1.docker.io', 'second', 'two');
    const list = await store.list();
    expect(list).toHaveLength(1);
    expect(await store.authConfig('docker.io')).toEqual({ username: 'second', password: 'two', serveraddress: DOCKER_HUB_REGISTRY });
  });

  it('concurrent logins do not lose each other', async () => {
    const store = CredentialStore.open(credsDir());
    await Promise.all(Array.from({ length: 10 }, (_, i) => store.login(`r${i}.example.com`, `u${i}`, `p${i}`)));
    expect(await store.list()).toHaveLength(10);
  });

  it('authFor is the base64url X-Registry-Auth JSON the engine expects', async () => {
    const store = CredentialStore.open(credsDir());
    // Characters chosen so standard base64 would contain + and /.
    const secret = 'p>?>?~~~ü';
    await store.login('docker.io', 'me', secret);
    const header = await store.authFor(registryForImage('busybox'));
    expect(header).not.toBeNull();
    expect(header).toMatch(/^[A-Za-z0-9_-]+=*$/);
    const decoded = JSON.parse(Buffer.from(header!, 'base64url').toString('utf8'));
    expect(decoded).toEqual({ username: 'me', password: secret, serveraddress: 'https://index.docker.io/v1/' });
    expect(Object.keys(decoded)).toEqual(['username', 'password', 'serveraddress']);
    expect(await store.authFor('ghcr.io')).toBeNull();
  });

  it('a corrupt file is a clear error, not a crash, and is left for the user to inspect', async () => {
    const store = CredentialStore.open(credsDir());
    const file = path.join(credsDir(), CREDENTIALS_FILE);
    for (const junk of ['{not json', JSON.stringify({ version: 1, entries: [{ registry: 'x' }] }), '[]']) {
      fs.writeFileSync(file, junk, { mode: 0o600 });
      const err = await berthError(store.list());
      expect(err.message).toMatch(/credentials file .* is damaged/);
      expect(err.hint).toMatch(/log in to your registries again/);
      await berthError(store.login('ghcr.io', 'me', PASSWORD));
      expect(fs.readFileSync(file, 'utf8')).toBe(junk);
    }
  });

  it('a tampered secret fails to decrypt with a clear error', async () => {
    const store = CredentialStore.open(credsDir());
    await store.login('ghcr.io', 'me', PASSWORD);
    const file = path.join(credsDir(), CREDENTIALS_FILE);
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    const sealed = Buffer.from(data.entries[0].sealed, 'base64');
    sealed[sealed.length - 1] ^= 1;
    data.entries[0].sealed = sealed.toString('base64');
    fs.writeFileSync(file, JSON.stringify(data));
    const err = await berthError(store.authConfig('ghcr.io'));
    expect(err.message).toMatch(/cannot be decrypted/);
  });

  it('a secret moved to another registry entry is refused', async () => {
    const store = CredentialStore.open(credsDir());
    await store.login('a.example.com', 'me', 'secret-a');
    await store.login('b.example.com', 'me', 'secret-b');
    const file = path.join(credsDir(), CREDENTIALS_FILE);
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    data.entries[1].sealed = data.entries[0].sealed;
    fs.writeFileSync(file, JSON.stringify(data));
    const err = await berthError(store.authConfig('b.example.com'));
    expect(err.message).toMatch(/does not belong/);
  });

  it('verify runs before storing; a refusal stores nothing', async () => {
    const store = CredentialStore.open(credsDir());
    const seen: unknown[] = [];
    await store.login('docker.io', 'me', PASSWORD, { verify: async (auth) => void seen.push(auth) });
    expect(seen).toEqual([{ username: 'me', password: PASSWORD, serveraddress: DOCKER_HUB_REGISTRY }]);

    const err = await berthError(
      store.login('ghcr.io', 'me', 'wrong', {
        verify: async () => {
          throw new Error('login attempt failed with status: 401 Unauthorized');
        },
      }),
    );
    expect(err.code).toBe('unauthorized');
    expect(err.message).toContain('401');
    expect(err.message).not.toContain('wrong');
    expect(await store.authConfig('ghcr.io')).toBeNull();

    const offline = new BerthError('engine', 'The engine is not running', 'Start Berth first.');
    expect(await berthError(store.login('ghcr.io', 'me', 'x', { verify: async () => Promise.reject(offline) }))).toBe(offline);
  });

  it('rejects empty names and secrets and bad registry addresses', async () => {
    const store = CredentialStore.open(credsDir());
    expect((await berthError(store.login('ghcr.io', '  ', PASSWORD))).code).toBe('bad-request');
    expect((await berthError(store.login('ghcr.io', 'me', ''))).code).toBe('bad-request');
    expect((await berthError(store.login('not a host!', 'me', PASSWORD))).code).toBe('bad-request');
    expect((await berthError(store.login('ghcr.io', 'me\nroot', PASSWORD))).code).toBe('bad-request');
  });

  it('a login saved under another cipher asks to log in again', async () => {
    const fileStore = CredentialStore.open(credsDir());
    await fileStore.login('ghcr.io', 'me', PASSWORD);
    const keychain = new CredentialStore(credsDir(), reversingCipher());
    const err = await berthError(keychain.authConfig('ghcr.io'));
    expect(err.code).toBe('unauthorized');
    expect(err.hint).toMatch(/Log in to ghcr.io again/);
  });
});

describe('FileKeyCipher', () => {
  it('keeps one key across opens and fixes a loosened key file mode', () => {
    const keyFile = path.join(dir, 'k', KEY_FILE);
    const a = FileKeyCipher.open(keyFile);
    const sealed = a.encrypt(Buffer.from('x'));
    fs.chmodSync(keyFile, 0o644);
    const b = FileKeyCipher.open(keyFile);
    expect(b.decrypt(sealed).toString()).toBe('x');
    expect(mode(keyFile)).toBe(0o600);
  });

  it('a truncated key file is a clear error', () => {
    const keyFile = path.join(dir, KEY_FILE);
    fs.writeFileSync(keyFile, 'short', { mode: 0o600 });
    expect(() => FileKeyCipher.open(keyFile)).toThrow(/damaged/);
  });

  it('another key cannot decrypt', () => {
    const a = FileKeyCipher.open(path.join(dir, 'a.key'));
    const b = FileKeyCipher.open(path.join(dir, 'b.key'));
    expect(() => b.decrypt(a.encrypt(Buffer.from('secret')))).toThrow(BerthError);
  });
});

describe('registry names', () => {
  it.each([
    ['', DOCKER_HUB_REGISTRY],
    ['docker.io', DOCKER_HUB_REGISTRY],
    ['index.docker.io', DOCKER_HUB_REGISTRY],
    ['registry-1.docker.io', DOCKER_HUB_REGISTRY],
    ['https://index.docker.io/v1/', DOCKER_HUB_REGISTRY],
    ['Docker.IO', DOCKER_HUB_REGISTRY],
    ['ghcr.io', 'ghcr.io'],
    ['https://GHCR.io/v2/', 'ghcr.io'],
    ['localhost:5000', 'localhost:5000'],
    ['10.0.0.1:443', '10.0.0.1:443'],
  ])('normalizeRegistry(%j) = %j', (input, expected) => {
    expect(normalizeRegistry(input)).toBe(expected);
  });

  it.each(['not a host', 'ghcr.io:99999', '-bad.example.com', 'a..b'])('refuses %j', (input) => {
    expect(() => normalizeRegistry(input)).toThrow(BerthError);
  });

  it.each([
    ['busybox', DOCKER_HUB_REGISTRY],
    ['bitnami/redis:7', DOCKER_HUB_REGISTRY],
    ['docker.io/library/alpine', DOCKER_HUB_REGISTRY],
    ['ghcr.io/owner/app:1', 'ghcr.io'],
    ['localhost:5000/app', 'localhost:5000'],
    ['localhost/app', 'localhost'],
  ])('registryForImage(%j) = %j', (image, expected) => {
    expect(registryForImage(image)).toBe(expected);
  });

  it('encodeRegistryAuth matches what dockerode would send', () => {
    const auth = { username: 'u', password: '??>>', serveraddress: 'ghcr.io' };
    const dockerode = Buffer.from(JSON.stringify(auth)).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
    expect(encodeRegistryAuth(auth)).toBe(dockerode);
  });
});

/** A stand-in keychain: reversible but not identity, enough to prove the adapter's plumbing. */
function reversingCipher() {
  return {
    kind: 'os-keychain' as const,
    encrypt: (b: Buffer) => Buffer.from(b).reverse(),
    decrypt: (b: Buffer) => Buffer.from(b).reverse(),
  };
}

describe('safeStorageCipher', () => {
  // safeStorage needs a running Electron app; this object implements the same methods the adapter calls,
  // with a real (if toy) transformation so a missing encode/decode step would fail the round trip.
  function fakeSafeStorage(available: boolean, backend: string): SafeStorage {
    return {
      isEncryptionAvailable: () => available,
      getSelectedStorageBackend: () => backend,
      encryptString: (s: string) => Buffer.from(s, 'utf8').reverse(),
      decryptString: (b: Buffer) => Buffer.from(b).reverse().toString('utf8'),
    } as unknown as SafeStorage;
  }

  it('round-trips arbitrary bytes through the keychain', () => {
    const cipher = safeStorageCipher(fakeSafeStorage(true, 'gnome_libsecret'), 'linux');
    expect(cipher?.kind).toBe('os-keychain');
    const bytes = Buffer.from([0, 255, 10, 13, 128, 65]);
    expect(cipher!.decrypt(cipher!.encrypt(bytes))).toEqual(bytes);
  });

  it('declines when encryption is unavailable or only basic_text on Linux', () => {
    expect(safeStorageCipher(fakeSafeStorage(false, 'gnome_libsecret'), 'linux')).toBeNull();
    expect(safeStorageCipher(fakeSafeStorage(true, 'basic_text'), 'linux')).toBeNull();
    expect(safeStorageCipher(fakeSafeStorage(true, 'unknown'), 'darwin')?.kind).toBe('os-keychain');
  });

  it('a store on the keychain cipher works end to end', async () => {
    const cipher = safeStorageCipher(fakeSafeStorage(true, 'kwallet6'), 'linux')!;
    const store = CredentialStore.open(credsDir(), cipher);
    await store.login('ghcr.io', 'me', PASSWORD);
    expect(fs.existsSync(path.join(credsDir(), KEY_FILE))).toBe(false);
    expect((await store.list())[0].storage).toBe('os-keychain');
    expect((await store.authConfig('ghcr.io'))?.password).toBe(PASSWORD);
  });
});
