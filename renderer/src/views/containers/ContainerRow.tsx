import { memo } from 'react';
import type { ContainerAction, ContainerSummary } from '../../../../electron/contract/model';
import { stateLabel } from '../../../../electron/contract/exit-reason';
import { formatBytes } from '../../components/format';
import { openExternal } from '../../connection/bridge';
import { forwardKey, useContainerForwards } from '../../stores/ports';
import { MenuButton } from '../../components/MenuButton';

export interface RowProps {
  c: ContainerSummary;
  /** Position in the list, for arrow-key moves between rows (row-keys.ts). */
  index?: number;
  inGroup: boolean;
  selected: boolean;
  pending?: ContainerAction;
  onSelect(id: string, on: boolean): void;
  onAction(id: string, action: ContainerAction): void;
  onOpen(id: string): void;
}

const PENDING_TEXT: Record<ContainerAction, string> = {
  start: 'Starting…',
  stop: 'Stopping…',
  restart: 'Restarting…',
  pause: 'Pausing…',
  unpause: 'Resuming…',
  kill: 'Killing…',
  remove: 'Removing…',
};

/** One container. Memoized: a stats update for one row re-renders only that row. */
export const ContainerRow = memo(function ContainerRow({ c, index, inGroup, selected, pending, onSelect, onAction, onOpen }: RowProps) {
  const running = c.state === 'running';
  const paused = c.state === 'paused';
  const published = c.ports.filter((p) => p.publicPort);
  const uniquePorts = [...new Map(published.map((p) => [`${p.publicPort}/${p.type}`, p])).values()];
  const forwards = useContainerForwards(c.id);
  return (
    // One Tab stop per row (its name); the other controls are reached with the arrow keys (row-keys.ts).
    <div className={selected ? 'crow selected' : 'crow'} role="row" aria-label={c.name} aria-selected={selected} data-row-index={index}>
      <span role="cell">
        <input type="checkbox" tabIndex={-1} aria-label={`Select ${c.name}`} checked={selected} onChange={(e) => onSelect(c.id, e.target.checked)} />
      </span>
      <span role="cell" className="name" style={inGroup ? { paddingLeft: 14 } : undefined}>
        <button type="button" className="link" onClick={() => onOpen(c.id)} aria-label={`Open ${c.name}`}>
          {c.name}
        </button>
      </span>
      <span role="cell" className="muted" title={c.image}>
        {c.image}
      </span>
      <span role="cell">
        {pending ? (
          <span role="status">
            <span className="spinner" aria-hidden="true" /> {PENDING_TEXT[pending]}
          </span>
        ) : (
          <>
            <span className={`badge ${c.oomKilled ? 'oom' : c.state}`} title={c.status}>
              {stateLabel(c)}
            </span>
            {c.health ? <span className={`badge health-${c.health}`}>{c.health}</span> : null}
          </>
        )}
      </span>
      <span role="cell" className="muted">
        {uniquePorts.map((p) => {
          const forward = forwards?.get(forwardKey(p.publicPort!, p.type));
          const label = `${p.publicPort}:${p.privatePort}${p.type === 'udp' ? '/udp' : ''}`;
          // A port the agent could not listen on (taken on the host, UDP) is shown with the reason, not as a link.
          if (forward?.state === 'failed') {
            return (
              <span key={label} className="port-failed" role="note" title={forward.error} aria-label={`Port ${p.publicPort} not forwarded: ${forward.error ?? ''}`}>
                ⚠ {label}{' '}
              </span>
            );
          }
          return (
            <a
              key={label}
              href={`http://localhost:${p.publicPort}`}
              target="_blank"
              tabIndex={-1}
              rel="noreferrer"
              aria-label={`Open port ${p.publicPort} in the browser`}
              onClick={(e) => {
                e.preventDefault();
                openExternal(`http://localhost:${p.publicPort}`);
              }}
            >
              {label}{' '}
            </a>
          );
        })}
      </span>
      <span role="cell" className="muted col-usage">
        {running && c.cpuPercent !== undefined ? `${c.cpuPercent.toFixed(1)}%` : '—'}
      </span>
      <span role="cell" className="muted col-usage">
        {running && c.memBytes !== undefined ? formatBytes(c.memBytes) : '—'}
      </span>
      <span role="cell" className="row-actions">
        {running || paused ? (
          <button type="button" tabIndex={-1} disabled={!!pending} aria-label={`Stop ${c.name}`} onClick={() => onAction(c.id, 'stop')}>
            Stop
          </button>
        ) : (
          <button type="button" tabIndex={-1} disabled={!!pending} aria-label={`Start ${c.name}`} onClick={() => onAction(c.id, 'start')}>
            Start
          </button>
        )}
        <button type="button" tabIndex={-1} className="secondary-action" disabled={!!pending || !running} aria-label={`Restart ${c.name}`} onClick={() => onAction(c.id, 'restart')}>
          Restart
        </button>
        {paused ? (
          <button type="button" tabIndex={-1} className="secondary-action" disabled={!!pending} aria-label={`Unpause ${c.name}`} onClick={() => onAction(c.id, 'unpause')}>
            Unpause
          </button>
        ) : (
          <button type="button" tabIndex={-1} className="secondary-action" disabled={!!pending || !running} aria-label={`Pause ${c.name}`} onClick={() => onAction(c.id, 'pause')}>
            Pause
          </button>
        )}
        <button type="button" tabIndex={-1} className="secondary-action danger" disabled={!!pending} aria-label={`Remove ${c.name}`} onClick={() => onAction(c.id, 'remove')}>
          Remove
        </button>
        {/* A narrow window shows only the primary button; the others move into this menu (styles.css). */}
        <MenuButton
          label={`More actions for ${c.name}`}
          className="row-more"
          tabIndex={-1}
          items={[
            { label: 'Restart', name: `Restart ${c.name}`, disabled: !!pending || !running, onSelect: () => onAction(c.id, 'restart') },
            paused
              ? { label: 'Unpause', name: `Unpause ${c.name}`, disabled: !!pending, onSelect: () => onAction(c.id, 'unpause') }
              : { label: 'Pause', name: `Pause ${c.name}`, disabled: !!pending || !running, onSelect: () => onAction(c.id, 'pause') },
            { label: 'Remove…', name: `Remove ${c.name}`, danger: true, disabled: !!pending, onSelect: () => onAction(c.id, 'remove') },
          ]}
        />
      </span>
    </div>
  );
});
