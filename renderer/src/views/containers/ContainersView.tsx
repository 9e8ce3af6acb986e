import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ContainerAction } from '../../../../electron/contract/model';
import { useContainers } from '../../stores/domains';
import { dismissError, runContainerAction, useActions } from '../../stores/actions';
import { navigate, useRoute } from '../../stores/route';
import { portsStore } from '../../stores/ports';
import { useStore } from 'zustand';
import { failedForwardsText } from './failed-forwards';
import { EngineGate } from '../../components/EngineGate';
import { EmptyState } from '../../components/EmptyState';
import { buildContainerRows } from './container-rows';
import { ContainerRow } from './ContainerRow';
import { RemoveDialog } from './RemoveDialog';
import { ContainerDetails } from './ContainerDetails';
import { RunDialog } from '../images/RunDialog';
import { focusIfDropped, rememberOpened, takeLastOpened } from '../../components/focus';
import { onRowKeys } from './row-keys';
import { knownRowLayout, useRowWindow } from '../../components/useRowWindow';

/** Row heights are fixed by styles.css (.crow, .chead; notes under a row), so nothing is measured. */
const ROW_HEIGHT = 36;
const NOTE_HEIGHT = 24;

type DisplayRow =
  | ReturnType<typeof buildContainerRows>[number]
  | { kind: 'error'; key: string; id: string }
  | { kind: 'ports'; key: string; text: string };

export function ContainersView() {
  const detailId = useRoute((r) => r.containerId);
  if (detailId) return <ContainerDetails id={detailId} />;
  return <ContainerList />;
}

function ContainerList() {
  const { loaded, ready, byId } = useContainers((s) => s);
  const pending = useActions((s) => s.pending);
  const errors = useActions((s) => s.errors);
  const forwards = useStore(portsStore, (s) => s.byContainer);
  const [search, setSearch] = useState('');
  const [runningOnly, setRunningOnly] = useState(false);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [removing, setRemoving] = useState<string[] | null>(null);
  const [running, setRunning] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      e.preventDefault();
      searchRef.current?.focus();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const rows = useMemo(() => {
    const base = buildContainerRows(byId.values(), { search, runningOnly, collapsed });
    const out: DisplayRow[] = [];
    for (const r of base) {
      out.push(r);
      if (r.kind !== 'container') continue;
      if (errors[r.c.id]) out.push({ kind: 'error', key: `e:${r.c.id}`, id: r.c.id });
      // A published port the host could not give is said in words under the row, not only as a tooltip.
      const text = failedForwardsText(forwards.get(r.c.id));
      if (text) out.push({ kind: 'ports', key: `p:${r.c.id}`, text });
    }
    return out;
  }, [byId, search, runningOnly, collapsed, errors, forwards]);

  // Selection follows existence: a removed container cannot stay selected.
  const liveSelected = useMemo(() => [...selected].filter((id) => byId.has(id)), [selected, byId]);

  // The first screenful first: the opening render mounts only the rows in view (the window's height, read
  // without a layout); the rows above and below it (for smooth scrolling) follow a frame later, after the paint.
  const [painted, setPainted] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => setPainted(true));
    return () => cancelAnimationFrame(frame);
  }, []);
  const layout = useMemo(() => knownRowLayout(rows.map((r) => (r.kind === 'error' || r.kind === 'ports' ? NOTE_HEIGHT : ROW_HEIGHT))), [rows]);
  const win = useRowWindow(scrollRef, layout, { overscan: painted ? 12 : 0, stickyHead: ROW_HEIGHT });

  // Back from a container's page: focus returns to its row (scrolled into view), else to the heading.
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const id = takeLastOpened();
    const index = id ? rows.findIndex((r) => r.kind === 'container' && r.c.id === id) : -1;
    // Focus waits for the first frame: focus() lays the page out, which inside the first render would hold the
    // screenful back; in the frame it costs nothing extra (the paint needs that layout anyway).
    if (index < 0) {
      const frame = requestAnimationFrame(() => focusIfDropped(heading.current, { preventScroll: true }));
      return () => cancelAnimationFrame(frame);
    }
    win.scrollToIndex(index, 'auto');
    requestAnimationFrame(() => focusIfDropped(scrollRef.current?.querySelector<HTMLElement>(`[data-row-index="${index}"] .name button`) ?? heading.current));
    // Only when the list first shows (mount); later row changes must not move focus.
  }, []);

  const onSelect = useCallback((id: string, on: boolean) => {
    setSelected((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);
  const onAction = useCallback((id: string, action: ContainerAction) => {
    if (action === 'remove') setRemoving([id]);
    else void runContainerAction([id], action);
  }, []);
  const onOpen = useCallback((id: string) => {
    rememberOpened(id);
    navigate({ view: 'containers', containerId: id, tab: 'logs' });
  }, []);
  const bulk = (action: ContainerAction) => {
    if (action === 'remove') setRemoving(liveSelected);
    else void runContainerAction(liveSelected, action);
  };
  const visibleIds = useMemo(() => rows.flatMap((r) => (r.kind === 'container' ? [r.c.id] : [])), [rows]);
  const allVisibleSelected = useMemo(() => visibleIds.length > 0 && visibleIds.every((id) => selected.has(id)), [visibleIds, selected]);

  return (
    <section className="view" aria-labelledby="containers-title">
      <header className="view-head">
        <h1 id="containers-title" tabIndex={-1} ref={heading}>
          Containers
        </h1>
        <input
          ref={searchRef}
          type="search"
          aria-label="Search containers"
          placeholder="Search (press /)"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              setSearch('');
              e.currentTarget.blur();
            }
          }}
        />
        <div role="radiogroup" aria-label="Show">
          <label>
            <input type="radio" name="cfilter" checked={!runningOnly} onChange={() => setRunningOnly(false)} /> All
          </label>{' '}
          <label>
            <input type="radio" name="cfilter" checked={runningOnly} onChange={() => setRunningOnly(true)} /> Running
          </label>
        </div>
        <span className="spacer" />
        <button type="button" className="primary" disabled={!ready} onClick={() => setRunning(true)}>
          Run a container…
        </button>
      </header>
      {liveSelected.length ? (
        <div className="toolbar" role="toolbar" aria-label="Selected containers">
          <span>{liveSelected.length} selected</span>
          {(['start', 'stop', 'restart', 'pause', 'unpause', 'kill', 'remove'] as const).map((a) => (
            <button key={a} type="button" className={a === 'remove' || a === 'kill' ? 'danger' : undefined} onClick={() => bulk(a)}>
              {a[0].toUpperCase() + a.slice(1)} selected
            </button>
          ))}
          <button type="button" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </div>
      ) : null}
      <EngineGate loaded={loaded} ready={ready} what="containers">
        {byId.size === 0 ? (
          <EmptyState title="No containers yet">
            Run one from an image: <button type="button" className="link" onClick={() => setRunning(true)}>Run a container…</button> or pull an image first in{' '}
            <a href="#/images">Images</a>. Containers started with the docker CLI or compose appear here too.
          </EmptyState>
        ) : (
          <div
            className="clist"
            ref={scrollRef}
            role="table"
            aria-label="Containers"
            aria-rowcount={rows.length}
            aria-describedby="clist-keys"
            onKeyDown={(e) => {
              const moved = onRowKeys(e);
              if (moved !== null) win.scrollToIndex(moved, 'auto');
            }}
          >
            <span id="clist-keys" className="visually-hidden">
              Tab reaches each container by its name; the arrow keys move to the row's other buttons and to the rows above and below.
            </span>
            <div className="chead" role="row">
              <span role="columnheader">
                <input
                  type="checkbox"
                  aria-label="Select all shown containers"
                  checked={allVisibleSelected}
                  onChange={(e) => setSelected(e.target.checked ? new Set(visibleIds) : new Set())}
                />
              </span>
              <span role="columnheader">Name</span>
              <span role="columnheader">Image</span>
              <span role="columnheader">Status</span>
              <span role="columnheader">Ports</span>
              <span role="columnheader" className="col-usage">
                CPU
              </span>
              <span role="columnheader" className="col-usage">
                Memory
              </span>
              <span role="columnheader">Actions</span>
            </div>
            {rows.length === 0 ? <EmptyState title="Nothing matches">Clear the search or show all containers.</EmptyState> : null}
            <div style={{ height: win.totalHeight, position: 'relative' }}>
              {rows.slice(win.first, win.last).map((r, k) => {
                const index = win.first + k;
                return (
                  <div key={r.key} style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${win.offsetOf(index)}px)` }}>
                    {r.kind === 'container' ? (
                      <ContainerRow c={r.c} index={index} inGroup={r.inGroup} selected={selected.has(r.c.id)} pending={pending[r.c.id]} onSelect={onSelect} onAction={onAction} onOpen={onOpen} />
                    ) : r.kind === 'group' ? (
                      <div className="grouprow" role="row" aria-label={`Compose project ${r.project}`}>
                        <button
                          type="button"
                          className="icon"
                          aria-expanded={!collapsed.has(r.project)}
                          aria-label={`${collapsed.has(r.project) ? 'Expand' : 'Collapse'} ${r.project}`}
                          onClick={() =>
                            setCollapsed((s) => {
                              const n = new Set(s);
                              if (n.has(r.project)) n.delete(r.project);
                              else n.add(r.project);
                              return n;
                            })
                          }
                        >
                          {collapsed.has(r.project) ? '▸' : '▾'}
                        </button>
                        <span>{r.project}</span>
                        <span className="muted">
                          {r.running}/{r.ids.length} running
                        </span>
                        <span className="spacer" style={{ flex: 1 }} />
                        <button type="button" className="small" aria-label={`Start project ${r.project}`} onClick={() => void runContainerAction(r.ids, 'start')}>
                          Start all
                        </button>
                        <button type="button" className="small" aria-label={`Stop project ${r.project}`} onClick={() => void runContainerAction(r.ids, 'stop')}>
                          Stop all
                        </button>
                        <button type="button" className="small" aria-label={`Restart project ${r.project}`} onClick={() => void runContainerAction(r.ids, 'restart')}>
                          Restart all
                        </button>
                        <button type="button" className="small danger" aria-label={`Remove project ${r.project}`} onClick={() => setRemoving(r.ids)}>
                          Remove all
                        </button>
                      </div>
                    ) : r.kind === 'ports' ? (
                      <div className="portnote" role="note" title={r.text}>
                        ⚠ {r.text}
                      </div>
                    ) : (
                      <div className="rowerror" role="alert">
                        <span>
                          {errors[r.id]?.message} {errors[r.id]?.hint}
                        </span>
                        <button type="button" className="icon" aria-label="Dismiss error" onClick={() => dismissError(r.id)}>
                          ×
                        </button>
                      </div>
                    )}
                  </div>
                );
              })}
            </div>
          </div>
        )}
      </EngineGate>
      {removing ? (
        <RemoveDialog
          names={removing.map((id) => byId.get(id)?.name ?? id.slice(0, 12))}
          onClose={() => setRemoving(null)}
          onConfirm={(opts) => {
            const ids = removing;
            setRemoving(null);
            setSelected((s) => new Set([...s].filter((id) => !ids.includes(id))));
            void runContainerAction(ids, 'remove', opts);
          }}
        />
      ) : null}
      {running ? <RunDialog onClose={() => setRunning(false)} /> : null}
    </section>
  );
}
