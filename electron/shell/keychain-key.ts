import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import type { SafeStorage } from 'electron';
import { writeFileAtomic } from '../base/atomic-file';
import { safeStorageCipher } from './safe-storage-cipher';

/**
 * The key the agent seals registry logins with when the app runs: random, kept on disk only sealed by the OS
 * keychain (safeStorage), and opened here in Electron main, the one process that can ask the keychain.
 * Null where safeStorage would protect nothing (no keyring): the agent then keeps its 0600 key file.
 */
export async function keychainKey(file: string, safeStorage: SafeStorage): Promise<string | null> {
  const cipher = safeStorageCipher(safeStorage);
  if (!cipher) return null;
  try {
    return cipher.decrypt(await fs.readFile(file)).toString('base64');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = crypto.randomBytes(32);
  await writeFileAtomic(file, cipher.encrypt(key), 0o600);
  return key.toString('base64');
}
