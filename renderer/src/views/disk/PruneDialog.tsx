import { useState } from 'react';
import type { PruneCategory, PruneOutcome } from '../../../../electron/contract/contract';
import { agent } from '../../connection/connection';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { formatBytes } from '../../components/format';
import { useAgentCall } from '../../components/useAgentCall';
import { notify } from '../../stores/notifications';

const WHAT: Record<PruneCategory, { some: string; all: string | null }> = {
  containers: { some: 'Stopped containers', all: null },
  images: { some: 'Dangling images (untagged, unused)', all: 'Every image no container uses' },
  volumes: { some: 'Unused anonymous volumes', all: 'Every unused volume, named ones too' },
  'build-cache': { some: 'Build cache not in use', all: 'All unused build cache' },
};

/** A prune with its preview: exactly the items the engine would remove now, then the prune itself. */
export function PruneDialog({ category, onClose, onDone }: { category: PruneCategory; onClose(): void; onDone(r: PruneOutcome): void }) {
  const [all, setAll] = useState(false);
  const preview = useAgentCall(() => agent().call('disk.prunePreview', { category, all }), [category, all]);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; hint?: string } | null>(null);
  const items = preview.data?.items ?? [];
  const run = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const r = await agent().call('disk.prune', { category, all });
      notify(`Pruned ${category}`, `${r.removed.length} removed, ${formatBytes(r.reclaimedBytes)} freed.`);
      onDone(r);
    } catch (err) {
      setFailure(err as { message: string; hint?: string });
    } finally {
      setBusy(false);
    }
  };
  const what = WHAT[category];
  return (
    <Dialog title={`Prune ${category}`} onClose={onClose} wide>
      <p>{all && what.all ? what.all : what.some}:</p>
      {what.all ? (
        <label>
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> {what.all}
        </label>
      ) : null}
      <ErrorNote error={preview.error} />
      {preview.loading && !preview.data ? <p>Looking…</p> : null}
      {preview.data ? (
        items.length ? (
          <ul aria-label="Will be removed">
            {items.map((i) => (
              <li key={i.id}>
                <code>{i.name}</code> {formatBytes(i.sizeBytes)}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">Nothing to remove.</p>
        )
      ) : null}
      <ErrorNote error={failure} />
      <div className="buttons">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="danger" disabled={!items.length || busy || preview.loading} onClick={() => void run()}>
          {busy ? 'Removing…' : `Remove ${items.length} (${formatBytes(preview.data?.reclaimableBytes ?? 0)})`}
        </button>
      </div>
    </Dialog>
  );
}
