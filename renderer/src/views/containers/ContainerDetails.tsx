import type { ContainerAction } from '../../../../electron/contract/model';
import { useContainers } from '../../stores/domains';
import { runContainerAction, useActions, dismissError } from '../../stores/actions';
import { detailTabs, navigate, useRoute, type DetailTab } from '../../stores/route';
import { EmptyState } from '../../components/EmptyState';
import { ErrorNote } from '../../components/ErrorNote';
import { LogsPanel } from './LogsPanel';
import { TerminalPanel } from './TerminalPanel';
import { InspectPanel } from './InspectPanel';
import { StatsPanel } from './StatsPanel';
import { FilesPanel } from './FilesPanel';
import { useEffect, useRef, useState } from 'react';
import { Tabs } from '../../components/Tabs';
import { focusIfDropped } from '../../components/focus';
import { RemoveDialog } from './RemoveDialog';
import { StopReason } from './StopReason';
import { stateLabel } from '../../../../electron/contract/exit-reason';

const TAB_LABELS: Record<DetailTab, string> = { logs: 'Logs', terminal: 'Terminal', inspect: 'Inspect', stats: 'Stats', files: 'Files' };

export function ContainerDetails({ id }: { id: string }) {
  const c = useContainers((s) => s.byId.get(id));
  const loaded = useContainers((s) => s.loaded);
  const tab = useRoute((r) => r.tab ?? 'logs');
  const pending = useActions((s) => s.pending[id]);
  const error = useActions((s) => s.errors[id]);
  const [removing, setRemoving] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);
  // Opened with Enter on a row: the row is gone, so focus would fall to <body>; the heading is where we are.
  useEffect(() => focusIfDropped(heading.current), [id]);
  const back = () => navigate({ view: 'containers' });
  if (!c) {
    return (
      <section className="view" aria-labelledby="details-title">
        <header className="view-head">
          <button type="button" onClick={back}>
            ← Containers
          </button>
          <h1 id="details-title">Container</h1>
        </header>
        <EmptyState title={loaded ? 'This container no longer exists' : 'Loading…'}>It may have been removed. Go back to the list.</EmptyState>
      </section>
    );
  }
  const running = c.state === 'running';
  const act = (a: ContainerAction) => void runContainerAction([id], a);
  return (
    <section className="view details" aria-labelledby="details-title">
      <header className="view-head">
        <button type="button" onClick={back}>
          ← Containers
        </button>
        <h1 id="details-title" tabIndex={-1} ref={heading}>
          {c.name}
        </h1>
        <span className={`badge ${c.oomKilled ? 'oom' : c.state}`}>{pending ? `${pending}…` : stateLabel(c)}</span>
        {c.health ? <span className={`badge health-${c.health}`}>{c.health}</span> : null}
        <span className="muted">{c.image}</span>
        <span className="spacer" />
        {running || c.state === 'paused' ? (
          <button type="button" disabled={!!pending} onClick={() => act('stop')}>
            Stop
          </button>
        ) : (
          <button type="button" disabled={!!pending} onClick={() => act('start')}>
            Start
          </button>
        )}
        <button type="button" disabled={!!pending || !running} onClick={() => act('restart')}>
          Restart
        </button>
        {c.state === 'paused' ? (
          <button type="button" disabled={!!pending} onClick={() => act('unpause')}>
            Unpause
          </button>
        ) : (
          <button type="button" disabled={!!pending || !running} onClick={() => act('pause')}>
            Pause
          </button>
        )}
        <button type="button" className="danger" disabled={!!pending || !running} onClick={() => act('kill')}>
          Kill
        </button>
        <button type="button" className="danger" disabled={!!pending} onClick={() => setRemoving(true)}>
          Remove
        </button>
      </header>
      <div style={{ padding: '0 16px' }}>
        <ErrorNote error={error} onDismiss={() => dismissError(id)} />
        <StopReason c={c} />
      </div>
      <Tabs
        label="Container details"
        tabs={detailTabs.map((t) => ({ id: t, label: TAB_LABELS[t] }))}
        selected={tab}
        onSelect={(t) => navigate({ view: 'containers', containerId: id, tab: t })}
        panelId="detail-panel"
      />
      <div className="tabpanel" role="tabpanel" id="detail-panel" aria-labelledby={`tab-${tab}`}>
        {tab === 'logs' ? <LogsPanel id={id} name={c.name} /> : null}
        {tab === 'terminal' ? <TerminalPanel id={id} running={running} /> : null}
        {tab === 'inspect' ? <InspectPanel id={id} /> : null}
        {tab === 'stats' ? <StatsPanel id={id} running={running} /> : null}
        {tab === 'files' ? <FilesPanel id={id} running={running} /> : null}
      </div>
      {removing ? (
        <RemoveDialog
          names={[c.name]}
          onClose={() => setRemoving(false)}
          onConfirm={(opts) => {
            setRemoving(false);
            void runContainerAction([id], 'remove', opts).then((failed) => failed === 0 && back());
          }}
        />
      ) : null}
    </section>
  );
}
