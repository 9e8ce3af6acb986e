import { useState } from 'react';
import type { PruneCategory, ReclaimResult } from '../../../../electron/contract/contract';
import { agent } from '../../connection/connection';
import { ErrorNote } from '../../components/ErrorNote';
import { formatBytes } from '../../components/format';
import { useAgentCall } from '../../components/useAgentCall';
import { notify } from '../../stores/notifications';
import { PruneDialog } from './PruneDialog';

const LABELS: Record<PruneCategory, string> = { images: 'Images', containers: 'Containers', volumes: 'Volumes', 'build-cache': 'Build cache' };

/** What the engine keeps on the data disk, what a prune could free, and the disk's real size on this computer. */
export function DiskView() {
  const usage = useAgentCall(() => agent().call('disk.usage', {}), []);
  const [pruning, setPruning] = useState<PruneCategory | null>(null);
  const [reclaiming, setReclaiming] = useState(false);
  const [reclaimed, setReclaimed] = useState<ReclaimResult | null>(null);
  const [failure, setFailure] = useState<{ message: string; hint?: string } | null>(null);
  const reclaim = async () => {
    setReclaiming(true);
    setFailure(null);
    try {
      const r = await agent().call('disk.reclaim', {});
      setReclaimed(r);
      notify('Space reclaimed', `${formatBytes(r.trimmedBytes)} trimmed in the VM; the disk now takes ${formatBytes(r.after?.allocatedBytes)} on this computer.`);
      usage.reload();
    } catch (err) {
      setFailure(err as { message: string; hint?: string });
    } finally {
      setReclaiming(false);
    }
  };
  const disk = usage.data?.dataDisk;
  return (
    <section className="view" aria-labelledby="disk-title">
      <header className="view-head">
        <h1 id="disk-title">Disk</h1>
        <span className="spacer" />
        <button type="button" onClick={usage.reload}>
          Refresh
        </button>
        <button type="button" disabled={reclaiming || !usage.data?.categories} onClick={() => void reclaim()}>
          {reclaiming ? 'Reclaiming…' : 'Reclaim space'}
        </button>
      </header>
      <div className="view-body">
        <ErrorNote error={usage.error ?? failure} />
        <p data-testid="data-disk" className="muted">
          {disk
            ? `The data disk takes ${formatBytes(disk.allocatedBytes)} on this computer, of ${formatBytes(disk.virtualBytes)} the VM can fill (${disk.file}). Space freed in the VM returns to this computer a little after removals, or now with Reclaim space.`
            : usage.data
              ? 'No data disk yet: the first start creates it.'
              : null}
        </p>
        {reclaimed ? (
          <p role="status">
            Trimmed {formatBytes(reclaimed.trimmedBytes)}: {formatBytes(reclaimed.before?.allocatedBytes)} → {formatBytes(reclaimed.after?.allocatedBytes)} on this computer.
          </p>
        ) : null}
        {usage.data && !usage.data.categories ? <p className="muted">Start the VM to see what the engine keeps on it.</p> : null}
        {usage.data?.categories ? (
          <table className="usage-table" aria-label="Disk usage">
            <thead>
              <tr>
                <th>Type</th>
                <th className="num">Count</th>
                <th className="num">Size</th>
                <th className="num">Reclaimable</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {usage.data.categories.map((c) => (
                <tr key={c.category}>
                  <td>{LABELS[c.category]}</td>
                  <td className="num">{c.count}</td>
                  <td className="num">{formatBytes(c.sizeBytes)}</td>
                  <td className="num">{formatBytes(c.reclaimableBytes)}</td>
                  <td>
                    <button type="button" className="small" onClick={() => setPruning(c.category)}>
                      Prune…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
        {pruning ? (
          <PruneDialog
            category={pruning}
            onClose={() => setPruning(null)}
            onDone={() => {
              setPruning(null);
              usage.reload();
            }}
          />
        ) : null}
      </div>
    </section>
  );
}
