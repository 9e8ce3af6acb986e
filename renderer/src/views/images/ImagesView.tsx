import { useMemo, useState } from 'react';
import type { ImageHistoryEntry, ImageSummary } from '../../../../electron/contract/model';
import { agent } from '../../connection/connection';
import { useImages } from '../../stores/domains';
import { EngineGate } from '../../components/EngineGate';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { useBusyAction } from '../../components/useBusyAction';
import { formatAge, formatBytes, shortId } from '../../components/format';
import { Dialog } from '../../components/Dialog';
import { DataTable, removeAction, type Column, type RowAction } from '../../components/DataTable';
import { useAgentCall } from '../../components/useAgentCall';
import { PullDialog } from './PullDialog';
import { RunDialog } from './RunDialog';
import { BuildDialog } from './BuildDialog';
import { PushDialog, TagDialog } from './TagPushDialogs';
import { ConfirmDialog } from '../../components/ConfirmDialog';

function imageName(i: ImageSummary): string {
  return i.tags[0] ?? `<none> ${shortId(i.id)}`;
}

const historyColumns: Column<ImageHistoryEntry>[] = [
  { header: 'Created by', cell: (h) => <code>{h.createdBy || h.comment || '—'}</code> },
  { header: 'Size', cell: (h) => formatBytes(h.size) },
  { header: 'Created', cell: (h) => (h.created ? formatAge(h.created) : '—') },
];

const imageColumns: Column<ImageSummary>[] = [
  { header: 'Tags', cell: (i) => (i.tags.length ? i.tags.map((t) => <div key={t}>{t}</div>) : <span className="muted">&lt;none&gt; (dangling)</span>) },
  { header: 'ID', cell: (i) => <code>{shortId(i.id)}</code> },
  { header: 'Size', cell: (i) => formatBytes(i.size) },
  { header: 'Created', cell: (i) => formatAge(i.created) },
  { header: 'In use', cell: (i) => (i.containers ? `${i.containers} container${i.containers === 1 ? '' : 's'}` : <span className="muted">no</span>) },
];

function HistoryDialog({ image, onClose }: { image: ImageSummary; onClose(): void }) {
  const { data, error } = useAgentCall(() => agent().call('images.history', { id: image.id }), [image.id]);
  return (
    <Dialog title={`History of ${imageName(image)}`} onClose={onClose} wide>
      <ErrorNote error={error} />
      {data ? (
        <DataTable label="Image history" columns={historyColumns} rows={data} rowKey={(h, i) => `${h.id}-${i}`} />
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
  const [building, setBuilding] = useState(false);
  const [tagging, setTagging] = useState<ImageSummary | null>(null);
  const [pushing, setPushing] = useState<ImageSummary | null>(null);
  const { busy, error, setError, act: runAction } = useBusyAction();
  const [note, setNote] = useState<string | null>(null);
  const [force, setForce] = useState(false);
  const [confirming, setConfirming] = useState<ImageSummary | null>(null);
  const act = (key: string, run: () => Promise<unknown>) => {
    setNote(null);
    return runAction(key, run);
  };
  const dangling = images.filter((i) => i.dangling).length;
  const actions: RowAction<ImageSummary>[] = [
    { label: 'Run', name: (i) => `Run ${imageName(i)}`, className: 'small', onClick: (i) => setRunImage(i.tags[0] ?? i.id) },
    { label: 'Tag', name: (i) => `Tag ${imageName(i)}`, className: 'small', onClick: setTagging },
    { label: 'Push', name: (i) => `Push ${imageName(i)}`, className: 'small', onClick: setPushing },
    { label: 'History', name: (i) => `History of ${imageName(i)}`, className: 'small', onClick: setHistory },
    removeAction('image', imageName, setConfirming),
  ];
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
        <button type="button" disabled={!ready} onClick={() => setBuilding(true)}>
          Build…
        </button>
        <button type="button" className="primary" disabled={!ready} onClick={() => setPulling(true)}>
          Pull an image…
        </button>
      </header>
      <div className="view-body">
        <ErrorNote error={error} onDismiss={() => setError(null)} />
        {note ? <p role="status">{note}</p> : null}
        <EngineGate loaded={loaded} ready={ready} what="images">
          <DataTable
            label="Images"
            columns={imageColumns}
            rows={images}
            rowKey={(i) => i.id}
            actions={actions}
            actionsClassName="row-actions"
            busyKey={busy}
            empty={
              <EmptyState title="No images yet">
                Pull one by name (<button type="button" className="link" onClick={() => setPulling(true)}>Pull an image…</button>); images you build or load with the
                docker CLI appear here too.
              </EmptyState>
            }
          />
        </EngineGate>
      </div>
      {pulling ? (
        <PullDialog
          onClose={() => setPulling(false)}
          onRun={(ref) => {
            setPulling(false);
            setRunImage(ref);
          }}
        />
      ) : null}
      {runImage !== null ? <RunDialog image={runImage} onClose={() => setRunImage(null)} /> : null}
      {building ? <BuildDialog onClose={() => setBuilding(false)} /> : null}
      {tagging ? (
        <TagDialog
          image={tagging}
          name={imageName(tagging)}
          onClose={() => setTagging(null)}
          onTagged={(ref) => {
            setTagging(null);
            setNote(`Tagged ${shortId(tagging.id)} as ${ref}.`);
          }}
        />
      ) : null}
      {pushing ? (
        <PushDialog
          // The tags change when the user tags from here: a new key re-reads them.
          key={byId.get(pushing.id)?.tags.join(',') ?? pushing.id}
          image={byId.get(pushing.id) ?? pushing}
          onClose={() => setPushing(null)}
          onTag={() => setTagging(byId.get(pushing.id) ?? pushing)}
        />
      ) : null}
      {history ? <HistoryDialog image={history} onClose={() => setHistory(null)} /> : null}
      {confirming ? (
        <ConfirmDialog
          title={`Remove image ${imageName(confirming)}?`}
          confirmLabel="Remove image"
          onClose={() => setConfirming(null)}
          onConfirm={() => {
            const i = confirming;
            setConfirming(null);
            void act(i.id, () => agent().call('images.remove', { id: i.tags[0] ?? i.id, force }));
          }}
        >
          <p>
            {imageName(confirming)} ({formatBytes(confirming.size)}) is deleted from the engine; pull or build it again to use it.
            {force ? ' Force is on: it goes even if containers use it.' : ''}
          </p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
