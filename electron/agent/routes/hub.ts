import type { AgentContext, BerthRouter } from '../context';
import { BerthError } from '../../base/errors';
import { FileKeyCipher, type SecretCipher } from '../../credentials/cipher';
import { CredentialStore } from '../../credentials/store';
import type { RegistryAuthConfig } from '../../contract/registry';
import { HubClient, resolveHubUrl } from '../../hub/client';

export interface HubHandlerOptions {
  /** The Docker Hub URL from settings, read on every call so a settings change applies at once. */
  hubUrl?: () => string | null | undefined;
  /** The Electron shell's safeStorage cipher when it has one; otherwise a 0600 key file. */
  cipher?: SecretCipher;
  /**
   * The engine's credential check (dockerode checkAuth / POST /auth), when an engine is running. Without it
   * a login is stored unverified and the first pull is what finds a wrong password.
   */
  verifyLogin?: (auth: RegistryAuthConfig) => Promise<void>;
}

/** What other services use: the engine's pulls take authFor() from the credential store. */
export interface HubServices {
  hub(): HubClient;
  credentials(): CredentialStore;
}

/** hub.* (browse Docker Hub) and registry.* (logins for pulls). */
export function registerHubHandlers(router: BerthRouter, ctx: AgentContext, options: HubHandlerOptions = {}): HubServices {
  let client: HubClient | undefined;
  let clientFor: string | undefined;
  const hub = () => {
    const url = resolveHubUrl(options.hubUrl?.());
    if (!client || clientFor !== url) {
      client = new HubClient({ baseUrl: url });
      clientFor = url;
    }
    return client;
  };

  // Opened on first use: a damaged key file then fails the registry calls with its hint, not the agent's start.
  let store: CredentialStore | undefined;
  const credentials = () => (store ??= CredentialStore.open(ctx.paths.credentials, options.cipher));

  router
    .call('hub.search', (params, rq) => hub().search(params, { signal: rq.signal }))
    .call('hub.repository', (params, rq) => hub().repository(params, { signal: rq.signal }))
    .call('hub.tags', (params, rq) => hub().tags(params, { signal: rq.signal }))
    .call('registry.login', async (params) => {
      const login = await credentials().login(params.registry, params.username, params.secret, { verify: options.verifyLogin });
      ctx.log.info(`registry login stored for ${login.registry} (${login.username}, ${login.storage})`);
      return login;
    })
    .call('registry.logout', async (params) => {
      const removed = await credentials().logout(params.registry);
      if (removed) ctx.log.info(`registry login removed for ${params.registry || 'Docker Hub'}`);
      return { removed };
    })
    .call('registry.list', async () => {
      const creds = credentials();
      return { storage: creds.storageKind, logins: await creds.list() };
    })
    .call('registry.useKeychainKey', async ({ key }, rq) => {
      // A page in a browser must not choose the key secrets are sealed with; the 0600 socket is the app's.
      if (rq.transport !== 'unix') {
        throw new BerthError('unauthorized', 'Only the Berth app can hand over a keychain key', 'This call is made by Electron main.');
      }
      const creds = credentials();
      await creds.useCipher(FileKeyCipher.withKeychainKey(Buffer.from(key, 'base64')));
      ctx.log.info('registry logins are now sealed with the key from the system keychain');
      return { storage: creds.storageKind, logins: await creds.list() };
    });

  return { hub, credentials };
}
