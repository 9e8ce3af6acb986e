import { useEffect, useRef, useState } from 'react';
import { parseBuildArgs, parseTags } from '../../../../electron/contract/build';
import type { BerthError } from '../../../../electron/base/errors';
import { agent } from '../../connection/connection';
import { onStreamEnd } from './stream-end';
import { Dialog } from '../../components/Dialog';
import { SubmitForm } from '../../components/SubmitForm';
import { ErrorNote } from '../../components/ErrorNote';
import { BuildSteps, foldBuildEvents, type BuildLog } from './BuildSteps';

type Phase = 'idle' | 'building' | 'done' | 'failed';

const EMPTY_LOG: BuildLog = { preamble: [], steps: [], imageId: null };

/**
 * Build an image from a host folder: the folder (typed, or picked in the desktop app), the Dockerfile inside it,
 * an optional target stage, KEY=VALUE build args and tags. The steps stream in as the engine runs them; the step
 * that failed is marked and its output stays open.
 */
export function BuildDialog({ onClose }: { onClose(): void }) {
  const [folder, setFolder] = useState('');
  const [dockerfile, setDockerfile] = useState('Dockerfile');
  const [target, setTarget] = useState('');
  const [argsText, setArgsText] = useState('');
  const [tagsText, setTagsText] = useState('');
  const [phase, setPhase] = useState<Phase>('idle');
  const [log, setLog] = useState<BuildLog>(EMPTY_LOG);
  const [error, setError] = useState<BerthError | null>(null);
  const cancel = useRef<() => void>(() => undefined);
  useEffect(() => () => cancel.current(), []);

  const args = parseBuildArgs(argsText);
  const tags = parseTags(tagsText);
  const folderError = folder.trim() && !folder.trim().startsWith('/') ? 'Give the full path of the folder (starting with /).' : null;
  const invalid = !folder.trim() || !dockerfile.trim() || !!folderError || args.errors.length > 0 || tags.errors.length > 0;
  const picker = window.berth?.pickFolder;

  const start = () => {
    if (invalid || phase === 'building') return;
    setPhase('building');
    setError(null);
    setLog(EMPTY_LOG);
    const name = tags.tags[0] ?? folder.trim();
    const h = agent().open(
      'images.build',
      {
        folder: folder.trim(),
        dockerfile: dockerfile.trim(),
        ...(target.trim() ? { target: target.trim() } : {}),
        buildArgs: args.args,
        tags: tags.tags,
      },
      {
        onItem: (batch) => setLog((prev) => foldBuildEvents(prev, batch.events, batch.dropped)),
        onEnd: onStreamEnd({ error: setError, phase: setPhase }, `Build of ${name} failed`, { title: `Built ${name}`, body: 'The image is in the list.' }),
      },
    );
    cancel.current = h.cancel;
  };

  const described = (id: string, err: string | null | undefined, help?: boolean) =>
    [help ? `${id}-help` : '', err ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <Dialog title="Build an image" onClose={onClose} wide>
      <SubmitForm onSubmit={start}>
        <fieldset className="plain" disabled={phase === 'building'}>
          <div className="field">
            <label htmlFor="build-folder">Folder</label>
            <div className="row">
              <input
                id="build-folder"
                value={folder}
                onChange={(e) => setFolder(e.target.value)}
                placeholder="/home/me/project"
                aria-invalid={!!folderError}
                aria-describedby={described('build-folder', folderError, true)}
                autoFocus
              />
              {picker ? (
                <button type="button" onClick={() => void picker({ title: 'Folder to build' }).then((p) => p && setFolder(p))}>
                  Choose…
                </button>
              ) : null}
            </div>
            <span className="help" id="build-folder-help">
              The build context: it is packed on this computer and sent to the engine; .dockerignore is honoured.
            </span>
            {folderError ? <span className="field-error" id="build-folder-error" role="alert">{folderError}</span> : null}
          </div>
          <div className="field">
            <label htmlFor="build-dockerfile">Dockerfile</label>
            <input id="build-dockerfile" value={dockerfile} onChange={(e) => setDockerfile(e.target.value)} aria-describedby="build-dockerfile-help" />
            <span className="help" id="build-dockerfile-help">Relative to the folder, e.g. Dockerfile or docker/Dockerfile.prod.</span>
          </div>
          <div className="field">
            <label htmlFor="build-target">Target stage (optional)</label>
            <input id="build-target" value={target} onChange={(e) => setTarget(e.target.value)} placeholder="e.g. runtime" />
          </div>
          <div className="field">
            <label htmlFor="build-args">Build args (optional)</label>
            <textarea
              id="build-args"
              rows={3}
              value={argsText}
              onChange={(e) => setArgsText(e.target.value)}
              placeholder={'VERSION=1.2\nNODE_ENV=production'}
              aria-invalid={args.errors.length > 0}
              aria-describedby={described('build-args', args.errors[0], true)}
            />
            <span className="help" id="build-args-help">One KEY=VALUE per line.</span>
            {args.errors.length ? <span className="field-error" id="build-args-error" role="alert">{args.errors.join(' ')}</span> : null}
          </div>
          <div className="field">
            <label htmlFor="build-tags">Tags (optional)</label>
            <input
              id="build-tags"
              value={tagsText}
              onChange={(e) => setTagsText(e.target.value)}
              placeholder="e.g. team/app:1 team/app:latest"
              aria-invalid={tags.errors.length > 0}
              aria-describedby={described('build-tags', tags.errors[0], true)}
            />
            <span className="help" id="build-tags-help">Separated by spaces or commas; without a tag the image is listed as &lt;none&gt;.</span>
            {tags.errors.length ? <span className="field-error" id="build-tags-error" role="alert">{tags.errors.join(' ')}</span> : null}
          </div>
        </fieldset>
        <div className="buttons">
          {phase === 'building' ? (
            <button type="button" onClick={() => cancel.current()}>
              Stop the build
            </button>
          ) : (
            <button type="button" onClick={onClose}>
              {phase === 'done' ? 'Close' : 'Cancel'}
            </button>
          )}
          <button type="submit" className="primary" disabled={invalid || phase === 'building'}>
            {phase === 'building' ? 'Building…' : phase === 'idle' ? 'Build' : 'Build again'}
          </button>
        </div>
      </SubmitForm>
      <ErrorNote error={error} />
      {phase === 'done' ? (
        <p role="status">
          Built {log.imageId?.replace(/^sha256:/, '').slice(0, 12)}
          {tags.tags.length ? ` as ${tags.tags.join(', ')}` : ''}.
        </p>
      ) : null}
      <BuildSteps log={log} running={phase === 'building'} />
    </Dialog>
  );
}
