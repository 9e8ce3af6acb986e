import { useEffect, useMemo, useReducer, useState } from 'react';
import { agent } from '../../connection/connection';
import type { BerthError } from '../../../../electron/shared/errors';
import { LogBuffer } from './log-buffer';
import { frameBatcher } from '../../stores/frame-batcher';
import { LogView } from './LogView';

/** Lines from the stream are applied once per animation frame, however many batches arrived in between. */
export function useFramedLog(id: string): { buffer: LogBuffer; version: number; error: BerthError | null; ended: boolean } {
  const buffer = useMemo(() => new LogBuffer(), [id]);
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const [error, setError] = useState<BerthError | null>(null);
  const [ended, setEnded] = useState(false);
  useEffect(() => {
    const batcher = frameBatcher<string[]>((batches) => {
      for (const b of batches) buffer.append(b);
      bump();
    });
    const h = agent().open(
      'containers.logs',
      { id, follow: true, tail: 5000 },
      {
        onItem: (b) => {
          batcher.push(b.lines);
        },
        onEnd: (err) => {
          setEnded(true);
          if (err && err.code !== 'cancelled') setError(err);
        },
      },
      { window: 16 },
    );
    return () => {
      h.cancel();
      batcher.cancel();
    };
  }, [id, buffer]);
  return { buffer, version, error, ended };
}

export function LogsPanel({ id, name }: { id: string; name: string }) {
  const { buffer, version, error, ended } = useFramedLog(id);
  return <LogView buffer={buffer} version={version} name={name} error={error} ended={ended} />;
}
