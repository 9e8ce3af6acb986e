import { useMemo } from 'react';
import { agent } from '../../connection/connection';
import { useVolumes } from '../../stores/domains';
import { EngineGate } from '../../components/EngineGate';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { useBusyAction } from '../../components/useBusyAction';
import { CreateByNameForm } from '../../components/CreateByNameForm';
import { formatBytes } from '../../components/format';

export function VolumesView() {
  const { loaded, ready, byId } = useVolumes((s) => s);
  const volumes = useMemo(() => [...byId.values()].sort((a, b) => a.name.localeCompare(b.name)), [byId]);
  const { busy, error, setError, act } = useBusyAction();
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
          create={(name) => act('create', () => agent().call('volumes.create', { name }))}
        />
      </header>
      <div className="view-body">
        <ErrorNote error={error} onDismiss={() => setError(null)} />
        <EngineGate loaded={loaded} ready={ready} what="volumes">
          {volumes.length === 0 ? (
            <EmptyState title="No volumes yet">Volumes keep data beyond a container's life. Create one above, or mount one when you run a container.</EmptyState>
          ) : (
            <table className="grid" aria-label="Volumes">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Driver</th>
                  <th>Used by</th>
                  <th>Size</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {volumes.map((v) => (
                  <tr key={v.id}>
                    <td>{v.name}</td>
                    <td>{v.driver}</td>
                    <td>{v.usedBy.length ? v.usedBy.join(', ') : <span className="muted">unused</span>}</td>
                    <td>{formatBytes(v.size)}</td>
                    <td>
                      <button type="button" className="danger small" aria-label={`Remove volume ${v.name}`} disabled={busy === v.id} onClick={() => void act(v.id, () => agent().call('volumes.remove', { name: v.name }))}>
                        {busy === v.id ? 'Removing…' : 'Remove'}
                      </button>
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
