import { agent } from '../../connection/connection';
import { useAgentCall } from '../../components/useAgentCall';
import { ErrorNote } from '../../components/ErrorNote';

interface Inspect {
  Config?: { Env?: string[]; Labels?: Record<string, string>; Cmd?: string[]; Image?: string };
  Mounts?: { Type: string; Source: string; Destination: string; RW: boolean; Name?: string }[];
  NetworkSettings?: { Ports?: Record<string, { HostIp: string; HostPort: string }[] | null> };
}

export function InspectPanel({ id }: { id: string }) {
  const { data, error, loading, reload } = useAgentCall(() => agent().call('containers.inspect', { id }), [id]);
  const d = data as Inspect | null;
  return (
    <div className="tabpanel" style={{ overflow: 'auto', padding: '0 16px 16px' }}>
      <div className="toolbar" style={{ padding: '8px 0' }}>
        <button type="button" onClick={reload} disabled={loading}>
          {loading && d ? 'Refreshing…' : 'Refresh'}
        </button>
      </div>
      <ErrorNote error={error} />
      {loading && !d ? (
        <p className="loading" role="status">
          Loading the container’s configuration…
        </p>
      ) : null}
      {d ? (
        <>
          <div className="section">
            <h3>Environment</h3>
            <dl className="kv" aria-label="Environment">
              {(d.Config?.Env ?? []).map((e) => {
                const i = e.indexOf('=');
                return (
                  <div key={e} style={{ display: 'contents' }}>
                    <dt>{e.slice(0, i)}</dt>
                    <dd style={{ margin: 0 }}>{e.slice(i + 1)}</dd>
                  </div>
                );
              })}
            </dl>
          </div>
          <div className="section">
            <h3>Mounts</h3>
            {d.Mounts?.length ? (
              <dl className="kv" aria-label="Mounts">
                {d.Mounts.map((m) => (
                  <div key={m.Destination} style={{ display: 'contents' }}>
                    <dt>{m.Destination}</dt>
                    <dd style={{ margin: 0 }}>
                      {m.Type} {m.Name ?? m.Source} {m.RW ? '' : '(read-only)'}
                    </dd>
                  </div>
                ))}
              </dl>
            ) : (
              <p className="muted">No mounts.</p>
            )}
          </div>
          <div className="section">
            <h3>Ports</h3>
            <dl className="kv" aria-label="Ports">
              {Object.entries(d.NetworkSettings?.Ports ?? {}).map(([k, v]) => (
                <div key={k} style={{ display: 'contents' }}>
                  <dt>{k}</dt>
                  <dd style={{ margin: 0 }}>{v?.length ? v.map((b) => `${b.HostIp || '0.0.0.0'}:${b.HostPort}`).join(', ') : 'not published'}</dd>
                </div>
              ))}
            </dl>
          </div>
          <div className="section">
            <h3>Labels</h3>
            <dl className="kv" aria-label="Labels">
              {Object.entries(d.Config?.Labels ?? {}).map(([k, v]) => (
                <div key={k} style={{ display: 'contents' }}>
                  <dt>{k}</dt>
                  <dd style={{ margin: 0 }}>{v}</dd>
                </div>
              ))}
            </dl>
          </div>
          <div className="section">
            <h3>Raw JSON</h3>
            <pre className="raw" aria-label="Raw inspect JSON">
              {JSON.stringify(data, null, 2)}
            </pre>
          </div>
        </>
      ) : null}
    </div>
  );
}
