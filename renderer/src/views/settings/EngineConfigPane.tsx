import { useState } from 'react';
import type { SettingsView } from '../../../../electron/contract/contract';
import { engineConfigProblems } from '../../../../electron/contract/engine-config';
import { agent } from '../../connection/connection';
import { ErrorNote } from '../../components/ErrorNote';
import { runVmAction, useVmControl } from '../../stores/vm-control';
import { useStatus } from '../../stores/status';

const EXAMPLE = '{\n  "insecure-registries": ["10.0.2.2:5001"],\n  "log-opts": { "max-size": "10m" }\n}';
const show = (config: Record<string, unknown>) => (Object.keys(config).length ? JSON.stringify(config, null, 2) : '{}');

/** The text as problems, each naming its key: first that it is JSON at all, then the same check as the agent. */
function checkText(text: string): { config: Record<string, unknown> | null; problems: string[] } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { config: null, problems: [`Not valid JSON: ${(err as Error).message}`] };
  }
  const problems = engineConfigProblems(value).map((p) => `${p.key} ${p.message}`);
  return { config: problems.length ? null : (value as Record<string, unknown>), problems };
}

/**
 * Settings > Docker Engine: dockerd's daemon.json additions (insecure registries, mirrors, log defaults,
 * features) as JSON, checked as typed (the agent's rules, from the contract), saved through settings.update and
 * applied by restarting the VM: the guest writes daemon.json before dockerd starts.
 */
export function EngineConfigPane({ view, onSaved }: { view: SettingsView; onSaved(): void }) {
  const saved = show(view.settings.engineConfig);
  const [text, setText] = useState(saved);
  const [failure, setFailure] = useState<{ message: string; hint?: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [pending, setPending] = useState(false);
  const vmRunning = useStatus((s) => s.status?.vm.state === 'running');
  const restarting = useVmControl((s) => s.busy === 'restart');
  const { config, problems } = checkText(text);
  const dirty = text.trim() !== saved.trim();

  const apply = async (restart: boolean) => {
    if (!config) return;
    setBusy(true);
    setFailure(null);
    try {
      const patch = { engineConfig: config };
      const check = await agent().call('settings.validate', { patch });
      if (check.problems.length) {
        setFailure({ message: check.problems.map((p) => `${p.field} ${p.message}`).join('; '), hint: 'Nothing was saved.' });
        return;
      }
      const r = await agent().call('settings.update', { patch });
      setText(show(r.settings.engineConfig));
      onSaved();
      if (restart) {
        setPending(false);
        await runVmAction('restart');
      } else {
        setPending(true);
      }
    } catch (err) {
      setFailure(err as { message: string; hint?: string });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="section" aria-labelledby="engine-config-title">
      <h2 id="engine-config-title">Docker Engine</h2>
      <div className="field">
        <label htmlFor="engine-config">Engine configuration (daemon.json)</label>
        <textarea
          id="engine-config"
          rows={Math.min(16, Math.max(5, text.split('\n').length + 1))}
          spellCheck={false}
          value={text}
          placeholder={EXAMPLE}
          aria-invalid={problems.length ? true : undefined}
          aria-describedby={problems.length ? 'engine-config-error engine-config-help' : 'engine-config-help'}
          onChange={(e) => {
            setText(e.target.value);
            setFailure(null);
          }}
        />
        <span className="help" id="engine-config-help">
          Added to the engine&apos;s daemon.json when the VM boots: e.g. <code>insecure-registries</code>, <code>registry-mirrors</code>,{' '}
          <code>log-driver</code>, <code>log-opts</code>, <code>features</code>, <code>default-address-pools</code>. Keys Berth sets itself
          (hosts, data-root, storage-driver…) are refused.
        </span>
        {problems.length ? (
          <span className="field-error" id="engine-config-error" role="alert">
            {problems.join('; ')}
          </span>
        ) : null}
      </div>
      <ErrorNote error={failure} onDismiss={() => setFailure(null)} />
      <div className="actions">
        {vmRunning || restarting ? (
          <button type="button" className="primary" disabled={!dirty || !config || busy || restarting} onClick={() => void apply(true)}>
            {restarting ? 'Restarting…' : busy ? 'Saving…' : 'Apply & restart'}
          </button>
        ) : (
          <button type="button" className="primary" disabled={!dirty || !config || busy} onClick={() => void apply(false)}>
            {busy ? 'Saving…' : 'Apply'}
          </button>
        )}
        <button type="button" disabled={!dirty || busy} onClick={() => setText(saved)}>
          Undo changes
        </button>
      </div>
      {pending ? (
        <p className="notice" role="status">
          Saved; the engine uses it from the VM&apos;s next start.
        </p>
      ) : null}
    </section>
  );
}
