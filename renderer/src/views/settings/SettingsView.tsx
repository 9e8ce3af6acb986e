import { agent } from '../../connection/connection';
import { useAgentCall } from '../../components/useAgentCall';
import { ErrorNote } from '../../components/ErrorNote';
import { EmptyState } from '../../components/EmptyState';
import { RegistriesSection } from '../hub/RegistriesSection';
import { SettingsForm } from './SettingsForm';
import { EngineConfigPane } from './EngineConfigPane';

/** The VM's settings, editable and checked by the agent field by field; registry logins below. */
export function SettingsView() {
  const { data, error, loading, reload } = useAgentCall(() => agent().call('settings.get', {}), []);
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
              Stored in <code>{data.file}</code> (also <code>berth settings set KEY=VALUE</code>). This host has {data.host.cpus} CPUs and{' '}
              {Math.round(data.host.memoryMiB / 1024)} GiB of memory.
            </p>
            <SettingsForm key={data.file} view={data} onSaved={() => reload()} />
            <EngineConfigPane key={`engine-${data.file}`} view={data} onSaved={() => reload()} />
          </>
        ) : !loading && !error ? (
          <EmptyState title="No settings yet" />
        ) : null}
        <RegistriesSection />
      </div>
    </section>
  );
}
