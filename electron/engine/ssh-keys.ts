import fs from 'node:fs/promises';
import path from 'node:path';
import type * as ssh2Module from 'ssh2';
import { lazyPackage } from '../base/lazy-package';
import { writeFileAtomic } from '../base/atomic-file';

/** Only a first start generates a key: ssh2 is not loaded for the others. */
const ssh2 = lazyPackage<typeof ssh2Module>('ssh2');

export interface ClientKey {
  privateKey: string;
  /** OpenSSH authorized_keys form, handed to the guest on its kernel command line. */
  publicKey: string;
}

/** One key pair per Berth home, made on first run; both files 0600 (the public one reveals nothing, but stays private to the user all the same). */
export async function ensureClientKey(vmDir: string): Promise<ClientKey> {
  const privFile = path.join(vmDir, 'id_ed25519');
  const pubFile = `${privFile}.pub`;
  try {
    const [privateKey, publicKey] = await Promise.all([fs.readFile(privFile, 'utf8'), fs.readFile(pubFile, 'utf8')]);
    return { privateKey, publicKey: publicKey.trim() };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  await fs.mkdir(vmDir, { recursive: true, mode: 0o700 });
  const pair = ssh2().utils.generateKeyPairSync('ed25519', { comment: 'berth' });
  await writeFileAtomic(privFile, pair.private, 0o600);
  await writeFileAtomic(pubFile, pair.public + '\n', 0o600);
  return { privateKey: pair.private, publicKey: pair.public.trim() };
}

/** 'ssh-ed25519 AAAA... comment' -> the wire blob ssh2 hands to hostVerifier. */
export function keyBlob(openSshPublicKey: string): Buffer {
  const b64 = openSshPublicKey.trim().split(/\s+/)[1];
  if (!b64) throw new Error(`not an OpenSSH public key: ${openSshPublicKey.slice(0, 40)}`);
  return Buffer.from(b64, 'base64');
}

export function blobToOpenSsh(blob: Buffer): string {
  const typeLen = blob.readUInt32BE(0);
  return `${blob.subarray(4, 4 + typeLen).toString('latin1')} ${blob.toString('base64')}`;
}

/**
 * The guest's host key as its serial console reported it. The console is a channel no network peer can write
 * to, so pinning from it defeats a man in the middle on the forwarded port from the very first connection.
 */
export class HostKeyPin {
  constructor(readonly file: string) {}

  static in(vmDir: string): HostKeyPin {
    return new HostKeyPin(path.join(vmDir, 'ssh_host_key.pub'));
  }

  async get(): Promise<string | null> {
    try {
      return (await fs.readFile(this.file, 'utf8')).trim() || null;
    } catch {
      return null;
    }
  }

  async set(openSshKey: string): Promise<void> {
    keyBlob(openSshKey);
    await writeFileAtomic(this.file, openSshKey.trim() + '\n', 0o600);
  }

  async clear(): Promise<void> {
    await fs.rm(this.file, { force: true });
  }
}
