import type Docker from 'dockerode';
import { BerthError } from '../base/errors';
import type { RegistryAuthConfig } from '../contract/registry';

/**
 * A login check for CredentialStore.login backed by the engine's POST /auth (what `docker login` does): the
 * engine, not the host, talks to the registry, so proxies and mirrors configured in the VM apply. Errors are
 * turned into what the login form can show: wrong credentials, an unreachable registry, or another failure.
 */
export function engineLoginCheck(docker: Pick<Docker, 'checkAuth'>): (auth: RegistryAuthConfig) => Promise<void> {
  return async (auth) => {
    try {
      await docker.checkAuth({ username: auth.username, password: auth.password, serveraddress: auth.serveraddress });
    } catch (err) {
      throw loginError(auth.serveraddress, err);
    }
  };
}

function loginError(registry: string, err: unknown): BerthError {
  const e = err as { statusCode?: number; json?: { message?: unknown } | null; message?: string };
  const detail = (typeof e.json?.message === 'string' ? e.json.message : e.message) ?? String(err);
  if (e.statusCode === 401 || /\b401\b|unauthorized|incorrect username or password/i.test(detail)) {
    return new BerthError('unauthorized', `${registry} did not accept these credentials`, 'Check the user name and the password or access token.');
  }
  if (/dial tcp|no such host|i\/o timeout|connection refused|TLS handshake timeout|network is unreachable/i.test(detail)) {
    return new BerthError('offline', `The engine cannot reach ${registry}`, `Check the address and the VM's network. (${detail.slice(0, 200)})`);
  }
  if (e.statusCode === undefined) {
    // No HTTP answer at all: the engine itself is gone (VM stopped, tunnel down).
    return new BerthError('engine', 'The engine did not answer the login check', 'Start the engine and try again.');
  }
  return new BerthError('engine', `Login check failed: ${detail.slice(0, 300)}`);
}
