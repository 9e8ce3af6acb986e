import { useMemo, useState } from 'react';
import type { ImageSummary } from '../../../../electron/contract/model';
import { agent } from '../../connection/connection';
import { useImages } from '../../stores/domains';
import { EngineGate } from '../../components/EngineGate';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { useBusyAction } from '../../components/useBusyAction';
import { formatAge, formatBytes, shortId } from '../../components/format';
import { Dialog } from '../../components/Dialog';
import { useAgentCall } from '../../components/useAgentCall';
import { PullDialog } from './PullDialog';
import { RunDialog } from './RunDialog';

function imageName(i: ImageSummary): string {
  return i.tags[0] ?? `<none> ${shortId(i.id)}`;
}

function HistoryDialog({ image, onClose }: { image: ImageSummary; onClose(): void }) {
  const { data, error } = useAgentCall(() => agent().call('images.history', { id: image.id }), [image.id]);
  return (
    <Dialog title={`History of ${imageName(image)}`} onClose={onClose} wide>
      <ErrorNote error={error} />
      {data ? (
        <table className="grid" aria-label="Image history">
          <thead>
            <tr>
              <th>Created by</th>
              <th>Size</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {data.map((h, i) => (
              <tr key={`${h.id}-${i}`}>
                <td>
                  <code>{h.createdBy || h.comment || '—'}</code>
                </td>
                <td>{formatBytes(h.size)}</td>
                <td>{h.created ? formatAge(h.created) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>Loading…</p>
      )}
    </Dialog>
  );
}

export function ImagesView() {
  const { loaded, ready, byId } = useImages((s) => s);
  const images = useMemo(() => [...byId.values()].sort((a, b) => imageName(a).localeCompare(imageName(b))), [byId]);
  const [pulling, setPulling] = useState(false);
  const [runImage, setRunImage] = useState<string | null>(null);
  const [history, setHistory] = useState<ImageSummary | null>(null);
  const { busy, error, setError, act: runAction } = useBusyAction();
  const [note, setNote] = useState<string | null>(null);
  const [force, setForce] = useState(false);
  const act = (key: string, run: () => Promise<unknown>) => {
    setNote(null);
    return runAction(key, run);
  };
  const dangling = images.filter((i) => i.dangling).length;
  return (
    <section className="view" aria-labelledby="images-title">
      <header className="view-head">
        <h1 id="images-title">Images</h1>
        <span className="spacer" />
        <label>
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Force removal
        </label>
        <button
          type="button"
          disabled={!ready || busy === 'prune'}
          onClick={() =>
            void act('prune', async () => {
              const r = await agent().call('images.prune', {});
              setNote(`Removed ${r.deleted} dangling image${r.deleted === 1 ? '' : 's'}, reclaimed ${formatBytes(r.reclaimedBytes)}.`);
            })
          }
        >
          {busy === 'prune' ? 'Pruning…' : `Prune dangling${dangling ? ` (${dangling})` : ''}`}
        </button>
        <button type="button" disabled={!ready} onClick={() => setRunImage('')}>
          Run…
        </button>
        <button type="button" className="primary" disabled={!ready} onClick={() => setPulling(true)}>
          Pull an image…
        </button>
      </header>
      <div className="view-body">
        <ErrorNote error={error} onDismiss={() => setError(null)} />
        {note ? <p role="status">{note}</p> : null}
        <EngineGate loaded={loaded} ready={ready} what="images">
          {images.length === 0 ? (
            <EmptyState title="No images yet">
              Pull one by name (<button type="button" className="link" onClick={() => setPulling(true)}>Pull an image…</button>); images you build or load with the
              docker CLI appear here too.
            </EmptyState>
          ) : (
            <table className="grid" aria-label="Images">
              <thead>
                <tr>
                  <th>Tags</th>
                  <th>ID</th>
                  <th>Size</th>
                  <th>Created</th>
                  <th>In use</th>
                  <th>
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {images.map((i) => {
                  const name = imageName(i);
                  return (
                    <tr key={i.id}>
                      <td>{i.tags.length ? i.tags.map((t) => <div key={t}>{t}</div>) : <span className="muted">&lt;none&gt; (dangling)</span>}</td>
                      <td>
                        <code>{shortId(i.id)}</code>
                      </td>
                      <td>{formatBytes(i.size)}</td>
                      <td>{formatAge(i.created)}</td>
                      <td>{i.containers ? `${i.containers} container${i.containers === 1 ? '' : 's'}` : <span className="muted">no</span>}</td>
                      <td className="row-actions">
                        <button type="button" className="small" aria-label={`Run ${name}`} onClick={() => setRunImage(i.tags[0] ?? i.id)}>
                          Run
                        </button>
                        <button type="button" className="small" aria-label={`History of ${name}`} onClick={() => setHistory(i)}>
                          History
                        </button>
                        <button type="button" className="small danger" aria-label={`Remove image ${name}`} disabled={busy === i.id} onClick={() => void act(i.id, () => agent().call('images.remove', { id: i.tags[0] ?? i.id, force }))}>
                          {busy === i.id ? 'Removing…' : 'Remove'}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </EngineGate>
      </div>
      {pulling ? <PullDialog onClose={() => setPulling(false)} /> : null}
      {runImage !== null ? <RunDialog image={runImage} onClose={() => setRunImage(null)} /> : null}
      {history ? <HistoryDialog image={history} onClose={() => setHistory(null)} /> : null}
    </section>
  );
}
