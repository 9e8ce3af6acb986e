import { useMemo, useState } from 'react';
import { volumeCreateParams, type VolumeSummary } from '../../../../electron/contract/model';
import { agent } from '../../connection/connection';
import { useVolumes } from '../../stores/domains';
import { EngineGate } from '../../components/EngineGate';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { useBusyAction } from '../../components/useBusyAction';
import { CreateByNameForm } from '../../components/CreateByNameForm';
import { formatBytes } from '../../components/format';
import { DataTable, type Column, removeAction } from '../../components/DataTable';
import { ConfirmDialog } from '../../components/ConfirmDialog';

const columns: Column<VolumeSummary>[] = [
  { header: 'Name', cell: (v) => v.name },
  { header: 'Driver', cell: (v) => v.driver },
  { header: 'Used by', cell: (v) => (v.usedBy.length ? v.usedBy.join(', ') : <span className="muted">unused</span>) },
  { header: 'Size', cell: (v) => formatBytes(v.size) },
];

export function VolumesView() {
  const { loaded, ready, byId } = useVolumes((s) => s);
  const volumes = useMemo(() => [...byId.values()].sort((a, b) => a.name.localeCompare(b.name)), [byId]);
  const { busy, error, setError, act } = useBusyAction();
  const [confirming, setConfirming] = useState<VolumeSummary | null>(null);
  const remove = removeAction<VolumeSummary>('volume', (v) => v.name, setConfirming);
  const empty = <EmptyState title="No volumes yet">Volumes keep data beyond a container's life. Create one above, or mount one when you run a container.</EmptyState>;
  return (
    <section className="view" aria-labelledby="volumes-title">
      <header className="view-head">
        <h1 id="volumes-title">Volumes</h1>
        <span className="spacer" />
        <button type="button" disabled={!ready || busy === 'measure'} onClick={() => void act('measure', () => agent().call('volumes.measure', {}))}>
          {busy === 'measure' ? 'Measuring…' : 'Measure sizes'}
        </button>
        <CreateByNameForm
          noun="volume"
          disabled={!ready}
          busy={busy === 'create'}
          validate={(name) => volumeCreateParams.shape.name.safeParse(name).error?.issues[0]?.message ?? null}
          create={(name) => act('create', () => agent().call('volumes.create', { name }))}
        />
      </header>
      <div className="view-body">
        <ErrorNote error={error} onDismiss={() => setError(null)} />
        <EngineGate loaded={loaded} ready={ready} what="volumes">
          <DataTable label="Volumes" columns={columns} rows={volumes} rowKey={(v) => v.id} actions={[remove]} busyKey={busy} empty={empty} />
        </EngineGate>
      </div>
      {confirming ? (
        <ConfirmDialog
          title={`Remove volume ${confirming.name}?`}
          confirmLabel="Remove volume"
          onClose={() => setConfirming(null)}
          onConfirm={() => {
            const v = confirming;
            setConfirming(null);
            void act(v.id, () => agent().call('volumes.remove', { name: v.name }));
          }}
        >
          <p>
            The data stored in <strong>{confirming.name}</strong>
            {confirming.size !== undefined ? ` (${formatBytes(confirming.size)})` : ''} is deleted for good.
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
