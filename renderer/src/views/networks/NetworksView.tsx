import { useMemo } from 'react';
import { networkCreateParams, type NetworkSummary } from '../../../../electron/contract/model';
import { agent } from '../../connection/connection';
import { useNetworks } from '../../stores/domains';
import { EngineGate } from '../../components/EngineGate';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { useBusyAction } from '../../components/useBusyAction';
import { CreateByNameForm } from '../../components/CreateByNameForm';
import { DataTable, removeAction, type Column } from '../../components/DataTable';

const columns: Column<NetworkSummary>[] = [
  { header: 'Name', cell: (n) => <>{n.name} {n.internal ? <span className="badge">internal</span> : null}</> },
  { header: 'Driver', cell: (n) => n.driver },
  { header: 'Subnet', cell: (n) => n.subnet ?? '—' },
  { header: 'Containers', cell: (n) => (n.containers.length ? n.containers.join(', ') : <span className="muted">none</span>) },
];

export function NetworksView() {
  const { loaded, ready, byId } = useNetworks((s) => s);
  const networks = useMemo(() => [...byId.values()].sort((a, b) => Number(b.builtin) - Number(a.builtin) || a.name.localeCompare(b.name)), [byId]);
  const { busy, error, setError, act } = useBusyAction();
  // The engine's own networks (bridge, host, none) cannot be removed: no button for them.
  const remove = removeAction<NetworkSummary>('network', (n) => n.name, (n) => void act(n.id, () => agent().call('networks.remove', { name: n.id })), (n) => !n.builtin);
  const empty = <EmptyState title="No networks">The engine's bridge, host and none networks appear here once it runs; create your own above.</EmptyState>;
  return (
    <section className="view" aria-labelledby="networks-title">
      <header className="view-head">
        <h1 id="networks-title">Networks</h1>
        <CreateByNameForm
          noun="network"
          disabled={!ready}
          busy={busy === 'create'}
          validate={(name) => networkCreateParams.shape.name.safeParse(name).error?.issues[0]?.message ?? null}
          create={(name) => act('create', () => agent().call('networks.create', { name }))}
        />
      </header>
      <div className="view-body">
        <ErrorNote error={error} onDismiss={() => setError(null)} />
        <EngineGate loaded={loaded} ready={ready} what="networks">
          <DataTable label="Networks" columns={columns} rows={networks} rowKey={(n) => n.id} actions={[remove]} busyKey={busy} empty={empty} />
        </EngineGate>
      </div>
    </section>
  );
}
