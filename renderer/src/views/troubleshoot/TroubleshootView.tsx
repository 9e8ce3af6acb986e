import { stripAnsi } from '../../components/ansi';
import { agent } from '../../connection/connection';
import { useAgentCall } from '../../components/useAgentCall';
import { ErrorNote } from '../../components/ErrorNote';
import { VmSection } from './VmSection';
import { RepairSection } from './RepairSection';

/**
 * What to look at when something is wrong: the VM (with Start/Stop/Restart), repairs and diagnostics, the agent,
 * the tunnel and engine, and the tail of the VM's console.
 */
export function TroubleshootView() {
  const info = useAgentCall(() => agent().call('agent.info', {}), []);
  const vm = useAgentCall(() => agent().call('vm.status', {}), []);
  const logs = useAgentCall(() => agent().call('vm.logs', { lines: 200 }), []);
  const host = useAgentCall(() => agent().call('host.checks', {}), []);
  return (
    <section className="view" aria-labelledby="ts-title">
      <header className="view-head">
        <h1 id="ts-title">Troubleshoot</h1>
        <span className="spacer" />
        <button
          type="button"
          onClick={() => {
            info.reload();
            vm.reload();
            logs.reload();
            host.reload();
          }}
        >
          Refresh
        </button>
      </header>
      <div className="view-body">
        <VmSection />
        <RepairSection />
        <div className="section">
          <h2 style={{ fontSize: 14 }}>Agent</h2>
          <ErrorNote error={info.error} />
          {info.data ? (
            <dl className="kv" aria-label="Agent information">
              <dt>Version</dt>
              <dd>{info.data.version}</dd>
              <dt>Process</dt>
              <dd>{info.data.pid}</dd>
              <dt>Home</dt>
              <dd>{info.data.home}</dd>
              <dt>Platform</dt>
              <dd>
                {info.data.platform}/{info.data.arch}
              </dd>
              <dt>Started</dt>
              <dd>{new Date(info.data.startedAt).toLocaleString()}</dd>
            </dl>
          ) : null}
        </div>
        <div className="section">
          <h2 style={{ fontSize: 14 }}>Tunnel and engine</h2>
          <ErrorNote error={vm.error} />
          {vm.data ? (
            <dl className="kv" aria-label="VM status">
              <dt>VM</dt>
              <dd>{vm.data.vm.state}</dd>
              <dt>Tunnel</dt>
              <dd>{vm.data.tunnel}</dd>
              <dt>Engine</dt>
              <dd>{vm.data.engine.ready ? `ready (${vm.data.engine.version})` : 'not ready'}</dd>
              <dt>Docker socket</dt>
              <dd>{vm.data.dockerSocket ?? '—'}</dd>
              {vm.data.problem ? (
                <>
                  <dt>Problem</dt>
                  <dd>
                    {vm.data.problem.message} {vm.data.problem.hint}
                  </dd>
                </>
              ) : null}
            </dl>
          ) : null}
        </div>
        <div className="section">
          <h2 style={{ fontSize: 14 }}>Host checks</h2>
          <ErrorNote error={host.error} />
          {host.data ? (
            <>
              <ul className="plain" aria-label="Host checks">
                {host.data.checks.map((c) => (
                  <li key={c.id}>
                    {c.ok ? '✓' : '✗'} <strong>{c.id}</strong> — {c.usedFor}:{' '}
                    {c.ok ? <span className="muted">{c.path}</span> : <span className="error-inline">missing{c.package ? ` (package ${c.package})` : ''}</span>}
                  </li>
                ))}
              </ul>
              {host.data.fix ? (
                <p role="alert">
                  To install what is missing, run <code>{host.data.fix}</code> (or <code>npx berth doctor --fix</code>), then Refresh.
                </p>
              ) : null}
            </>
          ) : null}
        </div>
        <div className="section">
          <h2 style={{ fontSize: 14 }}>VM console (last 200 lines)</h2>
          <ErrorNote error={logs.error} />
          {logs.data ? (
            <>
              <p className="muted">{logs.data.file}</p>
              <pre className="raw" aria-label="VM console">
                {logs.data.lines.length ? stripAnsi(logs.data.lines.join('\n')) : 'The console is empty: the VM has not been started yet.'}
              </pre>
            </>
          ) : null}
        </div>
      </div>
    </section>
  );
}
