import { useEffect } from 'react';
import { HUB_MAX_PAGE, HUB_NAME_PART, type HubSearchResult } from '../../../../electron/contract/hub';
import { EmptyState } from '../../components/EmptyState';
import { hubStore, useHub, type HubFilter } from '../../stores/hub';
import { navigate } from '../../stores/route';
import { useConnection } from '../../connection/connection';
import { formatCount, pullsText } from './hub-format';
import { HubNotice } from './HubNotice';

const FILTERS: { value: HubFilter; label: string }[] = [
  { value: 'all', label: 'All images' },
  { value: 'official', label: 'Official images' },
  { value: 'verified-publisher', label: 'Verified publishers' },
];

export function Badge({ badge, official }: { badge: HubSearchResult['badge']; official: boolean }) {
  if (official || badge === 'official') return <span className="badge hub-badge official">Docker Official Image</span>;
  if (badge === 'verified-publisher') return <span className="badge hub-badge verified">Verified Publisher</span>;
  if (badge === 'open-source') return <span className="badge hub-badge oss">Sponsored OSS</span>;
  return null;
}

/** A count with its icon for the eye and its unit for screen readers (and for tests, which read like them). */
export function Stat({ icon, value, unit }: { icon: string; value: string; unit: string }) {
  return (
    <span className="hub-stat">
      <span aria-hidden="true">{icon} </span>
      {value}
      <span className="visually-hidden"> {unit}</span>
    </span>
  );
}

/** Why Berth cannot open or pull a name Hub listed (e.g. non-ASCII letters), or null when it can. */
export function unusableNameReason(namespace: string, name: string): string | null {
  const bad = [namespace, name].find((part) => !HUB_NAME_PART.test(part));
  if (bad === undefined) return null;
  return `“${bad}” is not a valid Docker Hub name: names use lowercase ASCII letters, digits and single . _ - separators, so this repository cannot be opened or pulled.`;
}

function ResultRow({ r }: { r: HubSearchResult }) {
  const name = r.pullName || `${r.namespace}/${r.name}`;
  const unusable = unusableNameReason(r.namespace || 'library', r.name);
  return (
    <li className="hub-result" aria-label={name}>
      <div className="hub-result-main">
        {unusable ? (
          <span className="hub-result-name">{name}</span>
        ) : (
          <button type="button" className="link hub-result-name" onClick={() => navigate({ view: 'hub', repository: name })} aria-label={`Open ${name}`}>
            {name}
          </button>
        )}
        {unusable ? (
          <p className="field-error" role="note">
            {unusable}
          </p>
        ) : null}
        <Badge badge={r.badge} official={r.official} />
        {r.publisher && !r.official ? <span className="muted"> by {r.publisher}</span> : null}
        <p className="hub-result-desc">{r.description ? r.description : <span className="muted">No description</span>}</p>
      </div>
      <div className="hub-result-stats">
        <Stat icon="★" value={formatCount(r.starCount)} unit="stars" />
        <Stat icon="⬇" value={pullsText(r)} unit="pulls" />
      </div>
    </li>
  );
}

export function HubSearch() {
  const { query, filter, page, search } = useHub((s) => s);
  const open = useConnection((c) => c.state === 'open');
  useEffect(() => {
    // First visit (or back after an error): show something without waiting for the first keystroke, once the
    // agent connection is there to ask through.
    const s = hubStore.getState();
    if (open && (s.search.status === 'idle' || s.search.status === 'error')) s.searchNow();
  }, [open]);
  const data = search.data;
  const results = data?.results ?? [];
  // Hub stops paging at HUB_MAX_PAGE whatever its totals say; offer no page it would refuse.
  const pages = data ? Math.min(HUB_MAX_PAGE, Math.max(1, Math.ceil(data.total / Math.max(1, data.pageSize)))) : 1;
  return (
    <>
      <div className="hub-controls">
        <div className="field hub-query">
          <label htmlFor="hub-query">Search Docker Hub</label>
          <input
            id="hub-query"
            type="search"
            value={query}
            placeholder="e.g. busybox, nginx, postgres"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => hubStore.getState().setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') hubStore.getState().searchNow();
            }}
          />
        </div>
        <fieldset className="hub-filter">
          <legend>Show</legend>
          {FILTERS.map((f) => (
            <label key={f.value}>
              <input type="radio" name="hub-filter" value={f.value} checked={filter === f.value} onChange={() => hubStore.getState().setFilter(f.value)} /> {f.label}
            </label>
          ))}
        </fieldset>
      </div>
      <HubNotice problem={search.error} onRetry={() => hubStore.getState().searchNow()} />
      <p className="muted hub-summary" role="status" aria-live="polite">
        {search.status === 'loading' ? 'Searching…' : data ? `${data.total.toLocaleString()} result${data.total === 1 ? '' : 's'}${data.query ? ` for “${data.query}”` : ''}` : ''}
      </p>
      {data && results.length === 0 && search.status !== 'loading' ? (
        <EmptyState title={data.query ? `Nothing on Docker Hub matches “${data.query}”` : 'No repositories to show'}>
          Check the spelling, or show all images instead of a filtered list.
        </EmptyState>
      ) : null}
      {results.length ? (
        <ul className="hub-results" aria-label="Search results" aria-busy={search.status === 'loading'}>
          {results.map((r) => (
            <ResultRow key={`${r.namespace}/${r.name}`} r={r} />
          ))}
        </ul>
      ) : null}
      {data && (page > 1 || data.hasMore) ? (
        <nav className="pager" aria-label="Search result pages">
          <button type="button" disabled={page <= 1 || search.status === 'loading'} onClick={() => hubStore.getState().setPage(page - 1)}>
            Previous page
          </button>
          <span>
            Page {page} of {pages.toLocaleString()}
          </span>
          <button type="button" disabled={!data.hasMore || page >= HUB_MAX_PAGE || search.status === 'loading'} onClick={() => hubStore.getState().setPage(page + 1)}>
            Next page
          </button>
        </nav>
      ) : null}
    </>
  );
}
