import { agent } from '../../connection/connection';
import { useAgentCall } from '../../components/useAgentCall';
import { ErrorNote } from '../../components/ErrorNote';
import { EmptyState } from '../../components/EmptyState';
import { RegistriesSection } from '../hub/RegistriesSection';

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  return JSON.stringify(v);
}

/** Read-only for now: what the agent will use, and where it is stored (`berth settings` changes it). */
export function SettingsView() {
  const { data, error, loading } = useAgentCall(() => agent().call('settings.get', {}), []);
  return (
    <section className="view" aria-labelledby="settings-title">
      <header className="view-head">
        <h1 id="settings-title">Settings</h1>
      </header>
      <div className="view-body">
        <ErrorNote error={error} />
        {loading && !data ? <p>Loading settings…</p> : null}
        {data ? (
          <>
            <p className="muted">
              Stored in <code>{data.file}</code>. Change them with <code>berth settings</code>; VM fields apply on the next start. This host
              has {data.host.cpus} CPUs and {Math.round(data.host.memoryMiB / 1024)} GiB of memory.
            </p>
            <dl className="kv" aria-label="Settings">
              {Object.entries(data.settings).map(([k, v]) => (
                <div key={k} style={{ display: 'contents' }}>
                  <dt>{k}</dt>
                  <dd style={{ margin: 0 }}>{show(v)}</dd>
                </div>
              ))}
            </dl>
          </>
        ) : !loading && !error ? (
          <EmptyState title="No settings yet" />
        ) : null}
        <RegistriesSection />
      </div>
    </section>
  );
}
