import { useEffect, useState } from 'react';
import type { BerthError } from '../../../../electron/base/errors';
import type { ComposeAction, ComposeProject } from '../../../../electron/contract/contract';
import { agent } from '../../connection/connection';
import { ErrorNote } from '../../components/ErrorNote';
import { useAgentCall } from '../../components/useAgentCall';
import { useContainers } from '../../stores/domains';
import { ProjectLogs } from './ProjectLogs';
import { colourClass } from './project-log';
import './compose.css';

const LAST_FILE = 'berth.compose.file';
const ACTION_LABELS: Record<ComposeAction, string> = { up: 'Up', down: 'Down', restart: 'Restart', pull: 'Pull' };

/**
 * A compose project, run by the real `docker compose` in the agent: open a compose file (or its folder) inside a
 * shared folder, see its services and their containers, Up / Down / Restart / Pull with compose's own output,
 * and one log view across the services.
 */
export function ComposeView() {
  const [typed, setTyped] = useState(() => localStorage.getItem(LAST_FILE) ?? '');
  const [file, setFile] = useState<string | null>(() => localStorage.getItem(LAST_FILE));
  const open = (path: string) => {
    const p = path.trim();
    if (!p) return;
    setTyped(p);
    setFile(p);
    localStorage.setItem(LAST_FILE, p);
  };
  return (
    <section className="view" aria-labelledby="compose-title">
      <header className="view-head">
        <h1 id="compose-title">Compose</h1>
        <span className="spacer" />
      </header>
      <div className="view-body compose-view">
        <form
          className="compose-open"
          onSubmit={(e) => {
            e.preventDefault();
            open(typed);
          }}
        >
          <input
            type="text"
            aria-label="Compose file"
            placeholder="/home/me/app/compose.yaml (or the project folder)"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />
          <button type="submit">Open</button>
          {window.berth ? (
            <button
              type="button"
              onClick={() =>
                void window.berth?.pickFolder({ title: 'Open a compose project folder' }).then((picked) => picked && open(picked))
              }
            >
              Choose folder…
            </button>
          ) : null}
        </form>
        {file ? <Project key={file} file={file} /> : <p className="muted">Open a compose file inside a folder shared with the VM (Settings › Shared folders).</p>}
      </div>
    </section>
  );
}

function Project({ file }: { file: string }) {
  const project = useAgentCall(() => agent().call('compose.project', { file }), [file]);
  const [running, setRunning] = useState<ComposeAction | null>(null);
  const [output, setOutput] = useState<string[]>([]);
  const [failure, setFailure] = useState<BerthError | null>(null);
  const [generation, setGeneration] = useState(0);
  // The live model says when the project's containers change (started elsewhere, exited): read compose's view again.
  const name = project.data?.name;
  const signature = useContainers((s) => {
    let sig = '';
    for (const c of s.byId.values()) if (name && c.project === name) sig += `${c.id}:${c.state};`;
    return sig;
  });
  const { reload } = project;
  useEffect(() => {
    if (name) reload();
  }, [signature, name, reload]);

  const run = async (action: ComposeAction) => {
    setRunning(action);
    setOutput([]);
    setFailure(null);
    try {
      await agent().open('compose.run', { file: project.data?.file ?? file, action }, { onItem: (o) => setOutput((prev) => [...prev, ...o.lines].slice(-500)) })
        .done;
    } catch (err) {
      setFailure(err as BerthError);
    } finally {
      setRunning(null);
      project.reload();
      if (action === 'up' || action === 'restart') setGeneration((g) => g + 1);
    }
  };

  const data: ComposeProject | null = project.data;
  const services = data?.services.map((s) => s.name) ?? [];
  return (
    <>
      <ErrorNote error={project.error} />
      {data ? (
        <>
          <div className="toolbar" role="toolbar" aria-label="Project actions">
            <strong>{data.name}</strong>
            <span className="muted">{data.file}</span>
            <span className="spacer" />
            {(['up', 'down', 'restart', 'pull'] as const).map((a) => (
              <button key={a} type="button" className={a === 'up' ? 'primary' : undefined} disabled={running !== null} onClick={() => void run(a)}>
                {running === a ? `${ACTION_LABELS[a]}…` : ACTION_LABELS[a]}
              </button>
            ))}
          </div>
          <table className="usage-table" aria-label="Services">
            <thead>
              <tr>
                <th>Service</th>
                <th>Image</th>
                <th>Containers</th>
              </tr>
            </thead>
            <tbody>
              {data.services.map((s) => (
                <tr key={s.name} data-service={s.name}>
                  <td>
                    <span className={`log-service ${colourClass(s.name, services)}`}>{s.name}</span>
                  </td>
                  <td>{s.image ?? '(built)'}</td>
                  <td className="service-state">
                    {s.containers.length ? s.containers.map((c) => `${c.name}: ${c.state} (${c.status})`).join(', ') : 'not created'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ErrorNote error={failure} onDismiss={() => setFailure(null)} />
          {output.length ? (
            <pre className="compose-output" aria-label="Compose output" role="log">
              {output.join('\n')}
            </pre>
          ) : null}
          <ProjectLogs file={data.file} services={services} generation={generation} />
        </>
      ) : project.loading ? (
        <p className="muted">Reading the compose file…</p>
      ) : null}
    </>
  );
}
