import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BerthError } from '../base/errors';
import type { SecretStorageKind } from '../contract/registry';

/**
 * Encrypts secrets at rest. `kind` is for people: 'os-keychain' (Electron safeStorage: Keychain, DPAPI,
 * libsecret) or 'file-key' (a random key in a file only this user can read, for browser mode and headless
 * hosts). The UI says which one protects the user's passwords.
 */
export interface SecretCipher {
  readonly kind: SecretStorageKind;
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
// A format byte up front lets the layout change later without guessing at old data.
const FORMAT_V1 = 1;

/**
 * AES-256-GCM with a key kept in a 0600 file. This guards against backups, sync folders and other users of
 * the machine reading credentials; it does not (and cannot) guard against code running as the same user.
 */
export class FileKeyCipher implements SecretCipher {
  private constructor(
    private readonly key: Buffer,
    readonly kind: SecretStorageKind = 'file-key',
  ) {}

  /**
   * The same sealing with a key held elsewhere: the Electron app keeps this key sealed by the OS keychain
   * (safeStorage) and hands it to the agent, so the agent's secrets are as safe at rest as the keychain.
   */
  static withKeychainKey(key: Buffer): FileKeyCipher {
    if (key.length !== KEY_BYTES) throw new BerthError('bad-request', `A keychain key must be ${KEY_BYTES} bytes`);
    return new FileKeyCipher(Buffer.from(key), 'os-keychain');
  }

  /** Reads the key file, creating it (and its directory, 0700) with a fresh random key on first use. */
  static open(keyFile: string): FileKeyCipher {
    fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
    let key: Buffer;
    try {
      // 'wx' fails if the file exists, so two processes starting at once cannot both write a key.
      const fd = fs.openSync(keyFile, 'wx', 0o600);
      try {
        key = crypto.randomBytes(KEY_BYTES);
        fs.writeSync(fd, key);
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      key = fs.readFileSync(keyFile);
      // A copied or restored key file may have lost its mode; put it back rather than refuse to work.
      if ((fs.statSync(keyFile).mode & 0o077) !== 0) fs.chmodSync(keyFile, 0o600);
    }
    if (key.length !== KEY_BYTES) {
      throw new BerthError(
        'internal',
        `The credentials key file ${keyFile} is damaged (${key.length} bytes, expected ${KEY_BYTES})`,
        'Remove it and the credentials file next to it, then log in to your registries again.',
      );
    }
    return new FileKeyCipher(key);
  }

  encrypt(plain: Buffer): Buffer {
    const iv = crypto.randomBytes(IV_BYTES);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_V1]), iv, cipher.getAuthTag(), body]);
  }

  decrypt(sealed: Buffer): Buffer {
    if (sealed.length < 1 + IV_BYTES + TAG_BYTES || sealed[0] !== FORMAT_V1) {
      throw new BerthError('internal', 'A stored credential is not in a format Berth can read', 'Log in to that registry again.');
    }
    const iv = sealed.subarray(1, 1 + IV_BYTES);
    const tag = sealed.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES);
    const body = sealed.subarray(1 + IV_BYTES + TAG_BYTES);
    try {
      const decipher = crypto.createDecipheriv('aes-256-gcm', this.key, iv);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(body), decipher.final()]);
    } catch {
      throw new BerthError(
        'internal',
        'A stored credential cannot be decrypted with this machine\'s key',
        'The key file was replaced or the credential was copied from elsewhere; log in to that registry again.',
      );
    }
  }
}
