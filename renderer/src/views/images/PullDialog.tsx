import { useEffect, useRef, useState } from 'react';
import type { PullProgress } from '../../../../electron/contract/model';
import { agent } from '../../connection/connection';
import { onStreamEnd } from './stream-end';
import { Dialog } from '../../components/Dialog';
import { SubmitForm } from '../../components/SubmitForm';
import { ErrorNote } from '../../components/ErrorNote';
import { isLayerId, LayerList, mergeLayers } from './LayerList';
import type { BerthError } from '../../../../electron/base/errors';

type Phase = 'idle' | 'pulling' | 'done' | 'failed';

/**
 * Pull by name; each layer gets its own progress bar, fed by the pull stream. The Hub page opens it with the
 * tag already chosen (initialRef + autoStart) and offers Run once the pull is done (onRun).
 */
export function PullDialog({
  onClose,
  initialRef = '',
  autoStart = false,
  onRun,
  runLabel,
}: {
  onClose(): void;
  initialRef?: string;
  autoStart?: boolean;
  onRun?(ref: string): void;
  /** The Run button's text (default "Run <ref>…"). */
  runLabel?: string;
}) {
  const [ref, setRef] = useState(initialRef);
  const [phase, setPhase] = useState<Phase>('idle');
  const [layers, setLayers] = useState<Map<string, PullProgress>>(new Map());
  const [status, setStatus] = useState('');
  const [error, setError] = useState<BerthError | null>(null);
  const cancel = useRef<() => void>(() => undefined);
  useEffect(() => () => cancel.current(), []);
  const started = useRef(false);
  useEffect(() => {
    if (autoStart && !started.current) {
      started.current = true;
      start();
    }
  });
  const start = () => {
    const name = ref.trim();
    if (!name) return;
    setPhase('pulling');
    setError(null);
    setLayers(new Map());
    setStatus('');
    const h = agent().open(
      'images.pull',
      { ref: name },
      {
        onItem: (batch) => {
          setLayers((prev) => mergeLayers(prev, batch.updates));
          // The tag line ("Pulling from …", id = tag) is an overall status, not a layer.
          const overall = batch.updates.filter((u) => !isLayerId(u.id)).pop();
          if (overall) setStatus(overall.status);
        },
        onEnd: onStreamEnd({ error: setError, phase: setPhase }, `Pull of ${name} failed`, {
          title: `Pulled ${name}`,
          body: 'The image is ready to run.',
        }),
      },
    );
    cancel.current = h.cancel;
  };
  return (
    <Dialog title="Pull an image" onClose={onClose} wide>
      <SubmitForm onSubmit={start}>
        <div className="field">
          <label htmlFor="pull-ref">Image reference</label>
          <input id="pull-ref" value={ref} onChange={(e) => setRef(e.target.value)} placeholder="e.g. alpine:3.20 or 10.0.2.2:5000/team/app:1" autoFocus />
        </div>
        <div className="buttons">
          <button type="button" onClick={onClose}>
            {phase === 'done' ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="primary" disabled={!ref.trim() || phase === 'pulling'}>
            {phase === 'pulling' ? 'Pulling…' : 'Pull'}
          </button>
        </div>
      </SubmitForm>
      <ErrorNote error={error} />
      {phase === 'done' ? (
        <p role="status">
          Pulled {ref.trim()}. {status}
        </p>
      ) : null}
      {phase === 'done' && onRun ? (
        <div className="buttons">
          <button type="button" className="primary" autoFocus onClick={() => onRun(ref.trim())}>
            {runLabel ?? `Run ${ref.trim()}…`}
          </button>
        </div>
      ) : null}
      <LayerList layers={layers} />
    </Dialog>
  );
}
