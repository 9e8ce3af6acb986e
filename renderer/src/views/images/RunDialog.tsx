import { useMemo, useState } from 'react';
import { emptyRunForm, parseRunForm, restartPolicies, type RunForm, type RunFormErrors } from '../../../../electron/contract/run-spec';
import type { PortForward } from '../../../../electron/contract/ports';
import { agent } from '../../connection/connection';
import { containersStore, imagesStore } from '../../stores/domains';
import { awaitFailedForwards } from '../../stores/await-forwards';
import { navigate } from '../../stores/route';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import type { BerthError } from '../../../../electron/base/errors';
import { PullDialog } from './PullDialog';

const HELP: Partial<Record<keyof RunForm, string>> = {
  ports: 'One a line: HOST:CONTAINER, e.g. 8080:80 (add /udp for UDP).',
  env: 'One a line: KEY=value.',
  volumes: 'One a line: volume-name:/path or /host/path:/path, optional :ro.',
  command: 'Overrides the image’s command, e.g. httpd -f -p 80.',
};

function Field({ id, label, error, children }: { id: keyof RunForm; label: string; error?: string; children: React.ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={`run-${id}`}>{label}</label>
      {children}
      {HELP[id] ? (
        <span className="help" id={`run-${id}-help`}>
          {HELP[id]}
        </span>
      ) : null}
      {error ? (
        <span className="field-error" id={`run-${id}-error`} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** The engine's answer to a run of an image it does not have (dockerd: "No such image: x"). */
const isMissingImage = (e: BerthError | null) => e?.code === 'not-found' && /no such image/i.test(e.message);

/** A container that runs, but with host ports the agent could not open: said before the dialog closes. */
function PortsNotForwarded({ failed, onOpen }: { failed: PortForward[]; onOpen(): void }) {
  return (
    <div className="error-note" role="alert">
      <span>
        The container runs, but {failed.length === 1 ? 'a port is' : 'some ports are'} not reachable from this computer:
      </span>
      <ul>
        {failed.map((f) => (
          <li key={`${f.hostPort}/${f.protocol}`}>
            Port {f.hostPort}
            {f.protocol === 'udp' ? '/udp' : ''}: {f.error ?? 'not forwarded'}
          </li>
        ))}
      </ul>
      <span className="hint">Run it again with another HOST port, or free the port and restart the container.</span>
      <div className="buttons">
        <button type="button" className="primary" autoFocus onClick={onOpen}>
          Open the container
        </button>
      </div>
    </div>
  );
}

/** Run a container: checked field by field before anything is sent; the agent checks the same rules again. */
export function RunDialog({ image = '', onClose }: { image?: string; onClose(): void }) {
  const [form, setForm] = useState<RunForm>({ ...emptyRunForm, image });
  const [errors, setErrors] = useState<RunFormErrors>({});
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<BerthError | null>(null);
  const [pulling, setPulling] = useState<string | null>(null);
  const [unforwarded, setUnforwarded] = useState<{ id: string; failed: PortForward[] } | null>(null);
  const names = useMemo(() => new Set([...containersStore.getState().byId.values()].map((c) => c.name)), []);
  // Local images, offered while typing (a datalist: the browser filters them by what was typed).
  const localImages = useMemo(() => [...new Set([...imagesStore.getState().byId.values()].flatMap((i) => i.tags))].sort(), []);
  const set = (k: keyof RunForm) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
    setForm((f) => ({ ...f, [k]: e.target.value }));
    if (errors[k]) setErrors((er) => ({ ...er, [k]: undefined }));
    // An earlier attempt's error is about earlier input: it goes with the edit.
    setFailure(null);
    setUnforwarded(null);
  };
  const a11y = (k: keyof RunForm) => ({
    id: `run-${k}`,
    'aria-invalid': errors[k] ? true : undefined,
    'aria-describedby': [HELP[k] ? `run-${k}-help` : '', errors[k] ? `run-${k}-error` : ''].filter(Boolean).join(' ') || undefined,
  });
  const openContainer = (id: string) => {
    onClose();
    navigate({ view: 'containers', containerId: id, tab: 'logs' });
  };
  const submit = async () => {
    const parsed = parseRunForm(form, names);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      // A host folder the VM cannot see would silently become an empty folder made inside the VM.
      const bindSources = parsed.params.mounts.map((m) => m.source).filter((source) => source.includes('/'));
      const checks = await Promise.all(bindSources.map((hostPath) => agent().call('shares.check', { hostPath })));
      const unshared = checks.find((c) => !c.ok);
      if (unshared) {
        setErrors({ volumes: unshared.message ?? `${unshared.hostPath} is not shared with the Berth VM` });
        return;
      }
      const { id } = await agent().call('containers.run', parsed.params);
      const published = parsed.params.ports.filter((p) => p.host).length;
      const failed = await awaitFailedForwards(id, published);
      if (failed.length) {
        setUnforwarded({ id, failed });
        return;
      }
      openContainer(id);
    } catch (err) {
      const e = err as BerthError;
      if (e.code === 'conflict' && /name/i.test(e.message)) setErrors({ name: e.message });
      else setFailure(e);
    } finally {
      setBusy(false);
    }
  };
  const imageRef = form.image.trim();
  return (
    <Dialog title="Run a container" onClose={onClose}>
      <form
        className="run-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <div className="dialog-scroll">
          <Field id="image" label="Image" error={errors.image}>
            <input {...a11y('image')} list="run-image-list" value={form.image} onChange={set('image')} placeholder="e.g. nginx:latest" autoFocus={!image} />
            <datalist id="run-image-list">
              {localImages.map((t) => (
                <option key={t} value={t} />
              ))}
            </datalist>
          </Field>
          <Field id="name" label="Name (optional)" error={errors.name}>
            <input {...a11y('name')} value={form.name} onChange={set('name')} autoFocus={!!image} />
          </Field>
          <Field id="ports" label="Published ports" error={errors.ports}>
            <textarea {...a11y('ports')} rows={2} value={form.ports} onChange={set('ports')} />
          </Field>
          <Field id="env" label="Environment variables" error={errors.env}>
            <textarea {...a11y('env')} rows={2} value={form.env} onChange={set('env')} />
          </Field>
          <Field id="volumes" label="Volumes and bind mounts" error={errors.volumes}>
            <textarea {...a11y('volumes')} rows={2} value={form.volumes} onChange={set('volumes')} />
          </Field>
          <Field id="command" label="Command (optional)" error={errors.command}>
            <input {...a11y('command')} value={form.command} onChange={set('command')} />
          </Field>
          <Field id="restart" label="Restart policy" error={errors.restart}>
            <select {...a11y('restart')} value={form.restart} onChange={set('restart')}>
              {restartPolicies.map((p) => (
                <option key={p} value={p}>
                  {p}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <div className="dialog-footer">
          {isMissingImage(failure) ? (
            <div className="error-note" role="alert">
              <span>{imageRef} is not on the engine yet.</span>{' '}
              <button type="button" className="primary" onClick={() => setPulling(imageRef)}>
                Pull {imageRef} and run
              </button>
            </div>
          ) : (
            <ErrorNote error={failure} />
          )}
          {unforwarded ? <PortsNotForwarded failed={unforwarded.failed} onOpen={() => openContainer(unforwarded.id)} /> : null}
          <div className="buttons">
            <button type="button" onClick={onClose}>
              {unforwarded ? 'Close' : 'Cancel'}
            </button>
            <button type="submit" className="primary" disabled={busy || !!unforwarded}>
              {busy ? 'Starting…' : 'Run'}
            </button>
          </div>
        </div>
      </form>
      {pulling !== null ? (
        <PullDialog
          initialRef={pulling}
          autoStart
          onClose={() => setPulling(null)}
          runLabel="Run it now"
          onRun={() => {
            setPulling(null);
            setFailure(null);
            void submit();
          }}
        />
      ) : null}
    </Dialog>
  );
}
