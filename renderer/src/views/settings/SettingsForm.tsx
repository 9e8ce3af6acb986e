import { useEffect, useState } from 'react';
import type { SharedFolder } from '../../../../electron/contract/shares';
import type { FieldProblem, SettingsView } from '../../../../electron/contract/contract';
import type { Settings } from '../../../../electron/contract/settings';
import { ACCELS } from '../../../../electron/contract/settings';
import { agent } from '../../connection/connection';
import { ErrorNote } from '../../components/ErrorNote';
import { runVmAction, useVmControl } from '../../stores/vm-control';
import { useStatus } from '../../stores/status';
import { draftPatch, FIELD_LABELS, toDraft, type SettingsDraft } from './settings-form';
import { SharesField } from './SharesField';

function Problem({ id, text }: { id: string; text?: string }) {
  return text ? (
    <span className="field-error" id={`${id}-error`} role="alert">
      {text}
    </span>
  ) : null;
}

/**
 * The settings, editable. Save asks the agent's validator first (settings.validate, the same rules
 * settings.update applies), shows each problem at its field, and writes nothing while any field is bad.
 */
export function SettingsForm({ view, onSaved }: { view: SettingsView; onSaved(s: Settings): void }) {
  const [draft, setDraft] = useState<SettingsDraft>(() => toDraft(view.settings));
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [failure, setFailure] = useState<{ message: string; hint?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [restartFields, setRestartFields] = useState<string[]>([]);
  const vmRunning = useStatus((s) => s.status?.vm.state === 'running');
  const restarting = useVmControl((s) => s.busy === 'restart');
  const [mounted, setMounted] = useState<SharedFolder[] | null>(null);
  useEffect(() => {
    let live = true;
    if (!vmRunning) setMounted(null);
    else void agent().call('shares.list', {}).then((v) => live && setMounted(v.active), () => undefined);
    return () => void (live = false);
  }, [vmRunning]);
  const patch = draftPatch(view.settings, draft);
  const dirty = Object.keys(patch).length > 0;
  const problemOf = (field: string) => problems.filter((p) => p.field === field).map((p) => p.message).join('; ') || undefined;
  const set = <K extends keyof SettingsDraft>(k: K, v: SettingsDraft[K]) => {
    setDraft((d) => ({ ...d, [k]: v }));
    setProblems((ps) => ps.filter((p) => p.field !== k && !p.field.startsWith(`${k}.`)));
  };
  const a11y = (k: string) => ({ id: `set-${k}`, 'aria-invalid': problemOf(k) ? true : undefined, 'aria-describedby': problemOf(k) ? `set-${k}-error` : undefined });

  const save = async () => {
    setBusy(true);
    setFailure(null);
    try {
      const check = await agent().call('settings.validate', { patch });
      setProblems(check.problems);
      if (check.problems.length) return;
      const r = await agent().call('settings.update', { patch });
      setRestartFields(r.restartRequired);
      setDraft(toDraft(r.settings));
      onSaved(r.settings);
    } catch (err) {
      setFailure(err as { message: string; hint?: string });
    } finally {
      setBusy(false);
    }
  };

  const number = (k: 'cpus' | 'memoryMiB' | 'diskGiB' | 'resourceSaverMinutes', label: string, help: string) => (
    <div className="field">
      <label htmlFor={`set-${k}`}>{label}</label>
      <input type="text" inputMode="numeric" value={draft[k]} onChange={(e) => set(k, e.target.value)} {...a11y(k)} />
      <span className="help">{help}</span>
      <Problem id={`set-${k}`} text={problemOf(k)} />
    </div>
  );
  const check = (k: 'autostart' | 'autoRestart' | 'exposePortsOnAllInterfaces', help: string) => (
    <div className="field">
      <label>
        <input type="checkbox" checked={draft[k]} onChange={(e) => set(k, e.target.checked)} {...a11y(k)} /> {FIELD_LABELS[k]}
      </label>
      <span className="help">{help}</span>
      <Problem id={`set-${k}`} text={problemOf(k)} />
    </div>
  );

  return (
    <form
      aria-label="Settings"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      {number('cpus', 'CPUs', `Up to ${view.host.cpus} on this host.`)}
      {number('memoryMiB', 'Memory (MiB)', `This host has ${view.host.memoryMiB} MiB; leave at least 256 MiB to it.`)}
      {number('diskGiB', 'Disk size (GiB)', 'The data disk can grow, never shrink (a factory reset starts a new one).')}
      <SharesField shares={draft.shares} mounted={mounted} problemOf={problemOf} onChange={(shares) => set('shares', shares)} />
      {number('resourceSaverMinutes', 'Resource Saver (minutes)', 'Pause the VM after this many minutes with no container running; any request wakes it. 0: never.')}
      {check('autostart', 'Boot the VM when the agent starts.')}
      {check('autoRestart', 'Boot the VM again when it stops unexpectedly.')}
      {check('exposePortsOnAllInterfaces', 'Ports published to 0.0.0.0 listen on every interface of this computer, not only on 127.0.0.1.')}
      <div className="field">
        <label htmlFor="set-accel">Accelerator</label>
        <select value={draft.accel} onChange={(e) => set('accel', e.target.value as SettingsDraft['accel'])} {...a11y('accel')}>
          {ACCELS.map((a) => (
            <option key={a} value={a}>
              {a === 'auto' ? 'auto (the fastest that works, else tcg)' : a}
            </option>
          ))}
        </select>
        <Problem id="set-accel" text={problemOf('accel')} />
      </div>
      <div className="field">
        <label htmlFor="set-imageUrl">Guest image URL</label>
        <input type="url" value={draft.imageUrl} placeholder="https://…/berth-image/ (empty: built locally)" onChange={(e) => set('imageUrl', e.target.value)} {...a11y('imageUrl')} />
        <Problem id="set-imageUrl" text={problemOf('imageUrl')} />
      </div>
      {problems
        .filter((p) => !['cpus', 'memoryMiB', 'diskGiB', 'autostart', 'autoRestart', 'exposePortsOnAllInterfaces', 'accel', 'imageUrl', 'resourceSaverMinutes'].includes(p.field) && !p.field.startsWith('shares'))
        .map((p) => (
          <p key={p.field} className="error-inline" role="alert">
            {p.field} {p.message}
          </p>
        ))}
      <ErrorNote error={failure} onDismiss={() => setFailure(null)} />
      <div className="actions">
        <button type="submit" className="primary" disabled={!dirty || busy}>
          {busy ? 'Saving…' : 'Save'}
        </button>
        <button type="button" disabled={!dirty || busy} onClick={() => (setDraft(toDraft(view.settings)), setProblems([]))}>
          Undo changes
        </button>
      </div>
      {restartFields.length ? (
        <div className="notice" role="status">
          {restartFields.map((f) => FIELD_LABELS[f] ?? f).join(', ')}: saved; {restartFields.length > 1 ? 'they apply' : 'it applies'} when the VM restarts.{' '}
          {vmRunning || restarting ? (
            <button type="button" disabled={restarting} onClick={() => void runVmAction('restart').then(() => setRestartFields([]))}>
              {restarting ? 'Restarting…' : 'Restart now'}
            </button>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
