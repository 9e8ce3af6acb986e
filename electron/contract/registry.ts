import { z } from 'zod';

// Shapes clients see (through the contract). No Node imports here: the renderer reaches this file too.

/** The auth object the engine takes (POST /auth, X-Registry-Auth); dockerode passes it as `authconfig`. */
export interface RegistryAuthConfig {
  username: string;
  password: string;
  serveraddress: string;
}

/** Where secrets are kept: the OS keychain (Electron) or a key file only this user can read. */
export type SecretStorageKind = 'os-keychain' | 'file-key';

/** What clients may see about a login: never the secret. */
export interface RegistryLogin {
  /** Normalized: `https://index.docker.io/v1/` for Docker Hub, host[:port] otherwise. */
  registry: string;
  username: string;
  /** ISO 8601. */
  updatedAt: string;
  /** How this login's secret is protected at rest. */
  storage: SecretStorageKind;
}

export interface RegistryLoginList {
  /** How a new login would be stored, so the UI can say it before anyone types a password. */
  storage: SecretStorageKind;
  logins: RegistryLogin[];
}

/** An empty registry means Docker Hub, as with `docker login`. */
const registry = z.string().max(300).default('');

export const registryLoginParams = z.strictObject({
  registry,
  username: z.string().min(1).max(256),
  /** Password or access token. Sent once; never returned by any call. */
  secret: z.string().min(1).max(16 * 1024),
});
export type RegistryLoginParams = z.input<typeof registryLoginParams>;

// Strict: a lenient schema read `{"id": "some-container"}` as "log out of Docker Hub" (registry defaults to Hub).
export const registryLogoutParams = z.strictObject({ registry });
export type RegistryLogoutParams = z.input<typeof registryLogoutParams>;

/** The Electron app's keychain-held key (base64 of 32 bytes); accepted on the agent's unix socket only. */
export const registryKeychainKeyParams = z.object({ key: z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 of 32 bytes') }).strict();
