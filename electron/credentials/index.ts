export * from '../contract/registry';
export * from './registry';
export { FileKeyCipher, type SecretCipher } from './cipher';
export { safeStorageCipher } from './safe-storage-cipher';
export { CredentialStore, encodeRegistryAuth, type LoginOptions } from './store';
export { engineLoginCheck } from './engine-verify';
