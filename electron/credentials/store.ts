import { writeFileAtomic } from '../base/atomic-file';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BerthError } from '../base/errors';
import { FileKeyCipher, type SecretCipher } from './cipher';
import { normalizeRegistry } from './registry';
import type { RegistryAuthConfig, RegistryLogin } from '../contract/registry';

export type { RegistryAuthConfig, RegistryLogin } from '../contract/registry';

export interface LoginOptions {
  /**
   * Checks the credentials before they are stored, normally the engine's POST /auth. Throwing refuses the
   * login; a BerthError is passed on as is, anything else becomes 'unauthorized'.
   */
  verify?: (auth: RegistryAuthConfig) => Promise<void>;
}

const entrySchema = z.object({
  registry: z.string().min(1),
  username: z.string().min(1),
  /** base64 of the cipher's output. */
  sealed: z.string().min(1),
  cipher: z.enum(['os-keychain', 'file-key']),
  updatedAt: z.string(),
});
const fileSchema = z.object({
  version: z.literal(1),
  entries: z.array(entrySchema),
});
type StoredEntry = z.infer<typeof entrySchema>;
type StoredFile = z.infer<typeof fileSchema>;

/** What is sealed: the secret bound to its registry and user, so entries cannot be swapped in the file. */
const sealedSchema = z.object({ registry: z.string(), username: z.string(), secret: z.string() });

const MAX_USERNAME = 256;
const MAX_SECRET = 16 * 1024;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export const CREDENTIALS_FILE = 'registries.json';
export const KEY_FILE = 'file.key';

/**
 * Registry logins for the agent, one JSON file (0600, written atomically) in the credentials directory
 * (0700), each secret sealed by a SecretCipher. Operations run one at a time, so two logins at once cannot
 * lose each other's entry.
 */
export class CredentialStore {
  readonly file: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly dir: string,
    private cipher: SecretCipher,
  ) {
    this.file = path.join(dir, CREDENTIALS_FILE);
  }

  /**
   * The store for a credentials directory (berthPaths().credentials). Without a cipher (the agent in
   * browser mode, headless hosts) secrets are sealed with a random key kept in a 0600 file beside them.
   */
  static open(dir: string, cipher?: SecretCipher): CredentialStore {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return new CredentialStore(dir, cipher ?? FileKeyCipher.open(path.join(dir, KEY_FILE)));
  }

  get storageKind(): SecretCipher['kind'] {
    return this.cipher.kind;
  }

  /**
   * Switches to another cipher (the Electron app's keychain-held key) and re-seals every login that the
   * current cipher can open, so nobody has to log in again. Logins it cannot open are left as they are.
   */
  async useCipher(next: SecretCipher): Promise<void> {
    return this.exclusive(async () => {
      const data = await this.read();
      const entries = data.entries.map((entry) => {
        if (entry.cipher !== this.cipher.kind) return entry;
        const plain = this.cipher.decrypt(Buffer.from(entry.sealed, 'base64'));
        return { ...entry, cipher: next.kind, sealed: next.encrypt(plain).toString('base64') };
      });
      if (data.entries.length) await this.write({ ...data, entries });
      this.cipher = next;
    });
  }

  async login(registry: string, username: string, secret: string, options: LoginOptions = {}): Promise<RegistryLogin> {
    const server = normalizeRegistry(registry);
    const user = username.trim();
    if (!user || user.length > MAX_USERNAME || CONTROL.test(user)) {
      throw new BerthError('bad-request', 'The user name is empty or has characters a registry cannot take', 'Type the user name you use to log in to the registry.');
    }
    if (!secret || secret.length > MAX_SECRET) {
      throw new BerthError('bad-request', 'The password or token is empty or too long', 'Paste the password or an access token for this registry.');
    }
    const auth: RegistryAuthConfig = { username: user, password: secret, serveraddress: server };
    if (options.verify) {
      try {
        await options.verify(auth);
      } catch (err) {
        if (err instanceof BerthError) throw err;
        const detail = err instanceof Error ? err.message : String(err);
        throw new BerthError('unauthorized', `Login to ${server} failed: ${detail}`, 'Check the user name and password or token.');
      }
    }
    return this.exclusive(async () => {
      const data = await this.read();
      const sealed = this.cipher.encrypt(Buffer.from(JSON.stringify({ registry: server, username: user, secret })));
      const entry: StoredEntry = {
        registry: server,
        username: user,
        sealed: sealed.toString('base64'),
        cipher: this.cipher.kind,
        updatedAt: new Date().toISOString(),
      };
      data.entries = [...data.entries.filter((e) => e.registry !== server), entry];
      await this.write(data);
      return this.describe(entry);
    });
  }

  /** Forgets the login for a registry. False when there was none. */
  async logout(registry: string): Promise<boolean> {
    const server = normalizeRegistry(registry);
    return this.exclusive(async () => {
      const data = await this.read();
      const kept = data.entries.filter((e) => e.registry !== server);
      if (kept.length === data.entries.length) return false;
      await this.write({ ...data, entries: kept });
      return true;
    });
  }

  async list(): Promise<RegistryLogin[]> {
    return this.exclusive(async () => {
      const data = await this.read();
      return data.entries.map((e) => this.describe(e)).sort((a, b) => a.registry.localeCompare(b.registry));
    });
  }

  /** The stored credentials for a registry (any spelling), or null when not logged in. */
  async authConfig(registry: string): Promise<RegistryAuthConfig | null> {
    const server = normalizeRegistry(registry);
    return this.exclusive(async () => {
      const data = await this.read();
      const entry = data.entries.find((e) => e.registry === server);
      if (!entry) return null;
      return { username: entry.username, password: this.unseal(entry), serveraddress: server };
    });
  }

  /**
   * The X-Registry-Auth header value for a pull or push: base64url of {username, password, serveraddress},
   * the encoding the engine decodes. Null when not logged in (pulls then go anonymous).
   */
  async authFor(registry: string): Promise<string | null> {
    const auth = await this.authConfig(registry);
    return auth ? encodeRegistryAuth(auth) : null;
  }

  private describe(entry: StoredEntry): RegistryLogin {
    return { registry: entry.registry, username: entry.username, updatedAt: entry.updatedAt, storage: entry.cipher };
  }

  private unseal(entry: StoredEntry): string {
    if (entry.cipher !== this.cipher.kind) {
      throw new BerthError(
        'unauthorized',
        `The saved login for ${entry.registry} was protected by ${entry.cipher === 'os-keychain' ? 'the system keychain' : 'a key file'}, which is not in use now`,
        `Log in to ${entry.registry} again.`,
      );
    }
    const plain = this.cipher.decrypt(Buffer.from(entry.sealed, 'base64'));
    let parsed: z.infer<typeof sealedSchema>;
    try {
      parsed = sealedSchema.parse(JSON.parse(plain.toString('utf8')));
    } catch {
      throw new BerthError('internal', `The saved login for ${entry.registry} is damaged`, `Log in to ${entry.registry} again.`);
    }
    if (parsed.registry !== entry.registry || parsed.username !== entry.username) {
      throw new BerthError('internal', `The saved login for ${entry.registry} does not belong to it`, `Log in to ${entry.registry} again.`);
    }
    return parsed.secret;
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work, work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<StoredFile> {
    let text: string;
    try {
      text = await fsp.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: [] };
      throw err;
    }
    let parsed: StoredFile;
    try {
      parsed = fileSchema.parse(JSON.parse(text));
    } catch {
      throw new BerthError(
        'internal',
        `The registry credentials file ${this.file} is damaged`,
        'Move it aside (or delete it) and log in to your registries again; nothing else depends on it.',
      );
    }
    return parsed;
  }

  private async write(data: StoredFile): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(data, null, 2) + '\n', 0o600);
  }
}

/** base64url (with padding) of the auth JSON: what dockerode sends and the engine's decoder accepts. */
export function encodeRegistryAuth(auth: RegistryAuthConfig): string {
  const json = JSON.stringify({ username: auth.username, password: auth.password, serveraddress: auth.serveraddress });
  return Buffer.from(json, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}
