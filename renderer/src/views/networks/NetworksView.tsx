import { useMemo } from 'react';
import { agent } from '../../connection/connection';
import { useNetworks } from '../../stores/domains';
import { EngineGate } from '../../components/EngineGate';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { useBusyAction } from '../../components/useBusyAction';
import { CreateByNameForm } from '../../components/CreateByNameForm';

export function NetworksView() {
  const { loaded, ready, byId } = useNetworks((s) => s);
  const networks = useMemo(() => [...byId.values()].sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.name.localeCompare(b.name)), [byId]);
  const { busy, error, setError, act } = useBusyAction();
  return (
    <section className="view" aria-labelledby="networks-title">
      <header className="view-head">
        <h1 id="networks-title">Networks</h1>
        <CreateByNameForm
          noun="network"
          disabled={!ready}
          busy={busy === 'create'}
          create={(name) => act('create', () => agent().call('networks.create', { name }))}
        />
      </header>
      <div className="view-body">
        <ErrorNote error={error} onDismiss={() => setError(null)} />
        <EngineGate loaded={loaded} ready={ready} what="networks">
          {networks.length === 0 ? (
            <EmptyState title="No networks">The engine's bridge, host and none networks appear here once it runs; create your own above.</EmptyState>
          ) : (
            <table className="grid" aria-label="Networks">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Driver</th>
                  <th>Subnet</th>
                  <th>Containers</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {networks.map((n) => (
                  <tr key={n.id}>
                    <td>
                      {n.name} {n.internal ? <span className="badge">internal</span> : null}
                    </td>
                    <td>{n.driver}</td>
                    <td>{n.subnet ?? '—'}</td>
                    <td>{n.containers.length ? n.containers.join(', ') : <span className="muted">none</span>}</td>
                    <td>
                      {n.builtin ? null : (
                        <button type="button" className="danger small" aria-label={`Remove network ${n.name}`} disabled={busy === n.id} onClick={() => void act(n.id, () => agent().call('networks.remove', { name: n.id }))}>
                          {busy === n.id ? 'Removing…' : 'Remove'}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </EngineGate>
      </div>
    </section>
  );
}
