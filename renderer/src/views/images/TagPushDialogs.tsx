import { useEffect, useRef, useState } from 'react';
import { parseTags, splitRef } from '../../../../electron/contract/build';
import type { ImageSummary, PullProgress } from '../../../../electron/contract/model';
import type { BerthError } from '../../../../electron/base/errors';
import { agent } from '../../connection/connection';
import { onStreamEnd } from './stream-end';
import { Dialog } from '../../components/Dialog';
import { SubmitForm } from '../../components/SubmitForm';
import { ErrorNote } from '../../components/ErrorNote';
import { isLayerId, LayerList, mergeLayers } from './LayerList';

/** `docker tag`: one more name for the image, e.g. a registry's name before a push. */
export function TagDialog({ image, name, onClose, onTagged }: { image: ImageSummary; name: string; onClose(): void; onTagged(ref: string): void }) {
  const [ref, setRef] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<BerthError | null>(null);
  const trimmed = ref.trim();
  const problem = trimmed && (trimmed.includes(' ') || parseTags(trimmed).errors.length) ? `"${trimmed}" is not an image name (e.g. 10.0.2.2:5000/team/app:1)` : null;
  const submit = async () => {
    if (!trimmed || problem) return;
    setBusy(true);
    setError(null);
    try {
      await agent().call('images.tag', { id: image.id, ref: trimmed });
      onTagged(trimmed);
    } catch (err) {
      setError(err as BerthError);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Tag ${name}`} onClose={onClose}>
      <SubmitForm onSubmit={() => void submit()}>
        <div className="field">
          <label htmlFor="tag-ref">New name</label>
          <input
            id="tag-ref"
            value={ref}
            onChange={(e) => setRef(e.target.value)}
            placeholder="e.g. 10.0.2.2:5000/team/app:1"
            aria-invalid={!!problem}
            aria-describedby={problem ? 'tag-ref-error' : 'tag-ref-help'}
            autoFocus
          />
          <span className="help" id="tag-ref-help">To push to a registry, start the name with its host (and port).</span>
          {problem ? <span className="field-error" id="tag-ref-error" role="alert">{problem}</span> : null}
        </div>
        <ErrorNote error={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!trimmed || !!problem || busy}>
            {busy ? 'Tagging…' : 'Tag'}
          </button>
        </div>
      </SubmitForm>
    </Dialog>
  );
}

type Phase = 'idle' | 'pushing' | 'done' | 'failed';

/** Push one of the image's names with per-layer progress; the registry login stored in Berth is used. */
export function PushDialog({ image, onClose, onTag }: { image: ImageSummary; onClose(): void; onTag(): void }) {
  const [ref, setRef] = useState(image.tags[0] ?? '');
  const [phase, setPhase] = useState<Phase>('idle');
  const [layers, setLayers] = useState<Map<string, PullProgress>>(new Map());
  const [digest, setDigest] = useState<string | null>(null);
  const [status, setStatus] = useState('');
  const [error, setError] = useState<BerthError | null>(null);
  const cancel = useRef<() => void>(() => undefined);
  useEffect(() => () => cancel.current(), []);
  const start = () => {
    if (!ref || phase === 'pushing') return;
    setPhase('pushing');
    setError(null);
    setLayers(new Map());
    setDigest(null);
    setStatus('');
    const h = agent().open(
      'images.push',
      { ref },
      {
        onItem: (batch) => {
          setLayers((prev) => mergeLayers(prev, batch.updates));
          const overall = batch.updates.filter((u) => !isLayerId(u.id)).pop();
          if (overall) setStatus(overall.status);
          if (batch.digest) setDigest(batch.digest);
        },
        onEnd: onStreamEnd({ error: setError, phase: setPhase }, `Push of ${ref} failed`, { title: `Pushed ${ref}`, body: 'The registry has it.' }),
      },
    );
    cancel.current = h.cancel;
  };
  if (!image.tags.length) {
    return (
      <Dialog title="Push an image" onClose={onClose}>
        <p>This image has no name to push under. Tag it with the registry's name first (e.g. 10.0.2.2:5000/team/app:1).</p>
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" autoFocus onClick={onTag}>
            Tag…
          </button>
        </div>
      </Dialog>
    );
  }
  return (
    <Dialog title="Push an image" onClose={onClose} wide>
      <SubmitForm onSubmit={start}>
        <div className="field">
          <label htmlFor="push-ref">Name to push</label>
          <select id="push-ref" value={ref} onChange={(e) => setRef(e.target.value)} disabled={phase === 'pushing'} autoFocus aria-describedby="push-ref-help">
            {image.tags.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
          <span className="help" id="push-ref-help">
            The registry is the first part of the name; your login for it (Registries) is used. Not the right registry? Tag the image first.
          </span>
        </div>
        <div className="buttons">
          <button type="button" onClick={onTag} disabled={phase === 'pushing'}>
            Tag…
          </button>
          <button type="button" onClick={phase === 'pushing' ? () => cancel.current() : onClose}>
            {phase === 'pushing' ? 'Stop' : phase === 'done' ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className="primary" disabled={phase === 'pushing'}>
            {phase === 'pushing' ? 'Pushing…' : 'Push'}
          </button>
        </div>
      </SubmitForm>
      <ErrorNote error={error} />
      {phase === 'done' ? (
        <p role="status">
          Pushed {ref}.{' '}
          {digest ? (
            <>
              Pull it by digest as <code>{`${splitRef(ref).repo}@${digest}`}</code>
            </>
          ) : (
            status
          )}
        </p>
      ) : null}
      <LayerList layers={layers} />
    </Dialog>
  );
}
