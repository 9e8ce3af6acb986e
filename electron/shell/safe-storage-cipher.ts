import type { SafeStorage } from 'electron';
import { BerthError } from '../base/errors';
import type { SecretCipher } from '../credentials/cipher';

/**
 * Electron's safeStorage as a SecretCipher: the key lives in the OS keychain (Keychain, DPAPI, libsecret,
 * KWallet). Takes the safeStorage object instead of importing electron, so this compiles and is testable in
 * plain Node, and only the Electron main process ever passes the real one.
 *
 * Returns null when safeStorage would not actually protect anything: before the app is ready, or on Linux
 * when no keyring is running and Chromium falls back to 'basic_text' (a key hard-coded in Chromium). The
 * caller then uses FileKeyCipher, whose protection is at least what its UI label says.
 */
export function safeStorageCipher(safeStorage: SafeStorage, platform: NodeJS.Platform = process.platform): SecretCipher | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  if (platform === 'linux') {
    const backend = safeStorage.getSelectedStorageBackend();
    if (backend === 'basic_text' || backend === 'unknown') return null;
  }
  return {
    kind: 'os-keychain',
    // safeStorage works on strings; base64 keeps arbitrary bytes intact through it.
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => {
      let text: string;
      try {
        text = safeStorage.decryptString(sealed);
      } catch {
        throw new BerthError(
          'internal',
          'A stored credential cannot be decrypted with the system keychain',
          'The keychain entry may have been reset; log in to that registry again.',
        );
      }
      return Buffer.from(text, 'base64');
    },
  };
}
