import { useEffect, useMemo, useReducer, useState } from 'react';
import { agent } from '../../connection/connection';
import type { BerthError } from '../../../../electron/base/errors';
import { LogBuffer } from './log-buffer';
import { frameBatcher } from '../../stores/frame-batcher';
import { LogView } from './LogView';

/**
 * How long one frame may spend appending log batches; the React render of the visible rows comes on top, so
 * this stays well under the 50 ms that makes a long task (the bench holds it on a loaded 2-core machine).
 */
export const LOG_APPLY_BUDGET_MS = 4;

/** A container that printed nothing sends no batch at all: after this long without one, say "No output yet". */
const QUIET_MS = 3000;

/**
 * Lines from the stream are applied once per animation frame, however many batches arrived in between.
 * `loading` holds until the first batch, the end, or QUIET_MS of silence, so history on its way is not "0 lines".
 */
export function useFramedLog(id: string, tail: number | 'all'): { buffer: LogBuffer; version: number; error: BerthError | null; ended: boolean; loading: boolean } {
  const buffer = useMemo(() => new LogBuffer(), [id, tail]);
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const [error, setError] = useState<BerthError | null>(null);
  const [ended, setEnded] = useState(false);
  const [loading, setLoading] = useState(true);
  useEffect(() => {
    setLoading(true);
    const quiet = setTimeout(() => setLoading(false), QUIET_MS);
    const batcher = frameBatcher<string[]>((batches) => {
      for (const b of batches) buffer.append(b);
      bump();
    }, { budgetMs: LOG_APPLY_BUDGET_MS });
    const h = agent().open(
      'containers.logs',
      { id, follow: true, tail },
      {
        onItem: (b) => {
          clearTimeout(quiet);
          setLoading(false);
          batcher.push(b.lines);
        },
        onEnd: (err) => {
          clearTimeout(quiet);
          setLoading(false);
          setEnded(true);
          if (err && err.code !== 'cancelled') setError(err);
        },
      },
      { window: 16 },
    );
    return () => {
      clearTimeout(quiet);
      h.cancel();
      batcher.cancel();
    };
  }, [id, tail, buffer]);
  return { buffer, version, error, ended, loading };
}

const TAILS = [1000, 5000, 100_000, 'all'] as const;

export function LogsPanel({ id, name }: { id: string; name: string }) {
  const [tail, setTail] = useState<(typeof TAILS)[number]>(5000);
  const { buffer, version, error, ended, loading } = useFramedLog(id, tail);
  return (
    <LogView
      buffer={buffer}
      version={version}
      name={name}
      error={error}
      ended={ended}
      loading={loading}
      extraTools={
        <label>
          History{' '}
          <select aria-label="Lines of history" value={String(tail)} onChange={(e) => setTail(e.target.value === 'all' ? 'all' : (Number(e.target.value) as 1000))}>
            {TAILS.map((t) => (
              <option key={t} value={String(t)}>
                {t === 'all' ? 'all' : `last ${t.toLocaleString('en')}`}
              </option>
            ))}
          </select>
        </label>
      }
    />
  );
}
