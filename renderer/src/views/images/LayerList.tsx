import type { PullProgress } from '../../../../electron/contract/model';
import { formatBytes } from '../../components/format';

/** A layer line carries a 12-hex id; other ids (a tag, a repository) belong to overall status lines. */
export function isLayerId(id: string | undefined): id is string {
  return !!id && /^[0-9a-f]{12}$/.test(id);
}

/** Folds a batch of progress lines into the per-layer map (immutably, for React state). */
export function mergeLayers(prev: Map<string, PullProgress>, updates: PullProgress[]): Map<string, PullProgress> {
  const next = new Map(prev);
  for (const u of updates) if (isLayerId(u.id)) next.set(u.id, { ...next.get(u.id), ...u });
  return next;
}

/** One progress bar per layer, for pulls and pushes alike. */
export function LayerList({ layers }: { layers: Map<string, PullProgress> }) {
  if (!layers.size) return null;
  return (
    <div aria-label="Layers" role="list">
      {[...layers.entries()].map(([id, l]) => {
        const done = /complete|exists|pushed/i.test(l.status);
        return (
          <div key={id} className="layer" role="listitem" aria-label={`Layer ${id}`}>
            <span>{id}</span>
            <progress max={l.total ?? 1} value={done ? (l.total ?? 1) : (l.current ?? 0)} aria-label={`Layer ${id} progress`} />
            <span>
              {l.status}
              {l.total && !done ? ` ${formatBytes(l.current)} / ${formatBytes(l.total)}` : ''}
            </span>
          </div>
        );
      })}
    </div>
  );
}
