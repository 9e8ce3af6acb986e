import { useState } from 'react';
import type { RegistryLogin, RegistryLoginList, SecretStorageKind } from '../../../../electron/contract/registry';
import { agent } from '../../connection/connection';
import { ErrorNote } from '../../components/ErrorNote';
import { useAgentCall } from '../../components/useAgentCall';
import { useBusyAction } from '../../components/useBusyAction';
import { DataTable, type Column } from '../../components/DataTable';
import { formatDate } from './hub-format';
import './hub.css';

const HUB_REGISTRY = 'https://index.docker.io/v1/';

function registryName(registry: string): string {
  return registry === HUB_REGISTRY ? 'Docker Hub' : registry;
}

const loginColumns: Column<RegistryLogin>[] = [
  { header: 'Registry', cell: (l) => registryName(l.registry) },
  { header: 'User', cell: (l) => l.username },
  { header: 'Saved', cell: (l) => formatDate(l.updatedAt) },
];

/** Where passwords end up, said before anyone types one. */
export function storageText(kind: SecretStorageKind, home: string | null): string {
  if (kind === 'os-keychain') return 'Passwords and tokens are encrypted with the system keychain.';
  const file = home ? `${home.replace(/\/+$/, '')}/credentials` : '$BERTH_HOME/credentials';
  return `Passwords and tokens are stored encrypted in a file only your user can read (${file}); the system keychain is not available here.`;
}

/** Settings > Registries: the logins the engine uses for pulls (secrets never come back from the agent). */
export function RegistriesSection() {
  const list = useAgentCall<RegistryLoginList>(() => agent().call('registry.list', {}), []);
  const info = useAgentCall(() => agent().call('agent.info', {}), []);
  const [registry, setRegistry] = useState('');
  const [username, setUsername] = useState('');
  const [secret, setSecret] = useState('');
  // One hook each: a failed login is said on the form, a failed logout above the list.
  const loginAction = useBusyAction();
  const logoutAction = useBusyAction();
  const [note, setNote] = useState<string | null>(null);

  const login = () => {
    setNote(null);
    return loginAction.act('login', async () => {
      const l = await agent().call('registry.login', { registry: registry.trim(), username: username.trim(), secret });
      setSecret('');
      setNote(`Logged in to ${registryName(l.registry)} as ${l.username}.`);
      list.reload();
    });
  };
  const logout = (reg: string) => {
    setNote(null);
    return logoutAction.act(reg, async () => {
      await agent().call('registry.logout', { registry: reg });
      setNote(`Logged out of ${registryName(reg)}.`);
      list.reload();
    });
  };
  const loggingIn = loginAction.busy !== null;

  return (
    <section className="section registries" aria-labelledby="registries-title">
      <h2 id="registries-title">Registries</h2>
      <p className="muted">Logins the engine uses to pull private images and to lift Docker Hub’s anonymous rate limit.</p>
      <ErrorNote error={list.error} />
      {list.data ? <p data-testid="secret-storage">{storageText(list.data.storage, info.data?.home ?? null)}</p> : null}
      {list.loading && !list.data ? <p>Loading logins…</p> : null}
      <ErrorNote error={logoutAction.error} onDismiss={() => logoutAction.setError(null)} />
      {note ? <p role="status">{note}</p> : null}
      {list.data ? (
        <DataTable
          label="Registry logins"
          columns={loginColumns}
          rows={list.data.logins}
          rowKey={(l) => l.registry}
          actions={[{ label: 'Log out', busyLabel: 'Logging out…', name: (l) => `Log out of ${registryName(l.registry)}`, className: 'small', onClick: (l) => void logout(l.registry) }]}
          actionsClassName="row-actions"
          busyKey={logoutAction.busy}
          empty={<p>No registry logins yet.</p>}
        />
      ) : null}
      <h3>Log in to a registry</h3>
      <form
        aria-label="Log in to a registry"
        onSubmit={(e) => {
          e.preventDefault();
          void login();
        }}
      >
        <div className="field">
          <label htmlFor="reg-server">Registry</label>
          <input id="reg-server" value={registry} onChange={(e) => setRegistry(e.target.value)} placeholder="Empty for Docker Hub, or e.g. ghcr.io" autoComplete="off" aria-describedby="reg-server-help" />
          <span className="help" id="reg-server-help">
            Leave empty for Docker Hub.
          </span>
        </div>
        <div className="field">
          <label htmlFor="reg-user">Username</label>
          <input id="reg-user" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" required />
        </div>
        <div className="field">
          <label htmlFor="reg-secret">Password or access token</label>
          <input id="reg-secret" type="password" value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="current-password" required />
        </div>
        <ErrorNote error={loginAction.error} />
        <div className="buttons">
          <button type="submit" className="primary" disabled={loggingIn || !username.trim() || !secret}>
            {loggingIn ? 'Logging in…' : 'Log in'}
          </button>
        </div>
      </form>
    </section>
  );
}
