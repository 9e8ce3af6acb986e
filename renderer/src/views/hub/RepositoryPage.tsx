import { useMemo, useState } from 'react';
import { HUB_MAX_PAGE, type HubTag } from '../../../../electron/contract/hub';
import { EmptyState } from '../../components/EmptyState';
import { DataTable, type Column } from '../../components/DataTable';
import { formatBytes } from '../../components/format';
import { hubStore, useHub } from '../../stores/hub';
import { navigate } from '../../stores/route';
import { PullDialog } from '../images/PullDialog';
import { RunDialog } from '../images/RunDialog';
import { formatCount, formatDate, hostImage, shortDigest, tagImages } from './hub-format';
import { HubNotice } from './HubNotice';
import { renderMarkdown } from './markdown';
import { Badge, Stat } from './HubSearch';

function Readme({ source }: { source: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  if (!html) return <EmptyState title="This repository has no description">Its publisher has not written a README on Docker Hub.</EmptyState>;
  // Sanitized by renderMarkdown (DOMPurify): no scripts, no event handlers, no javascript: links.
  return <div className="markdown" dangerouslySetInnerHTML={{ __html: html }} />;
}

const tagColumns: Column<HubTag>[] = [
  { header: 'Tag', cell: (tag) => <code>{tag.name}</code>, rowHeader: true },
  { header: 'Digest', cell: (tag) => <code title={tag.digest ?? undefined}>{shortDigest(tag.digest)}</code> },
  {
    header: 'Architectures',
    cell: (tag) => {
      const images = tagImages(tag);
      return images.length ? images.map((i) => i.platform || `${i.os}/${i.architecture}`).join(', ') : <span className="muted">—</span>;
    },
  },
  {
    header: 'Compressed size',
    cell: (tag) => {
      // What a pull to this VM fetches; the platform is named only when there is a choice.
      const host = hostImage(tag);
      const size = host?.size ?? tag.fullSize;
      return (
        <>
          {typeof size === 'number' ? formatBytes(size) : '—'}
          {host && tagImages(tag).length > 1 ? <span className="muted"> ({host.platform})</span> : null}
        </>
      );
    },
  },
  { header: 'Last pushed', cell: (tag) => formatDate(tag.lastPushed ?? tag.lastUpdated) },
];

export function RepositoryPage() {
  const { repository, repo, tags, tagsPage, tagFilter } = useHub((s) => s);
  const [pulling, setPulling] = useState<string | null>(null);
  const [running, setRunning] = useState<string | null>(null);
  if (!repository) return null;
  const r = repo.data;
  const t = tags.data;
  // Hub stops paging at HUB_MAX_PAGE whatever its totals say; offer no page it would refuse.
  const tagPages = t ? Math.min(HUB_MAX_PAGE, Math.max(1, Math.ceil(t.total / Math.max(1, t.pageSize)))) : 1;
  const pullName = r?.pullName || repository;
  const filter = tagFilter.trim();
  const noTags = filter ? (
    <EmptyState title={`No tag matches “${filter}”`} />
  ) : (
    <EmptyState title="No tags yet">Nothing has been pushed to this repository, so there is nothing to pull.</EmptyState>
  );
  return (
    <article className="hub-repo" aria-labelledby="hub-repo-title">
      <p>
        <button type="button" className="link" onClick={() => navigate({ view: 'hub' })}>
          ← Back to search
        </button>
      </p>
      <header className="hub-repo-head">
        <h2 id="hub-repo-title">{pullName}</h2>
        {r ? <Badge badge={r.official ? 'official' : null} official={r.official} /> : null}
        {r ? (
          <span className="hub-result-stats">
            <Stat icon="★" value={formatCount(r.starCount)} unit="stars" />
            <Stat icon="⬇" value={formatCount(r.pullCount)} unit="pulls" />
            <span>Updated {formatDate(r.lastUpdated)}</span>
          </span>
        ) : null}
      </header>
      {/* A name Berth refuses (bad-request) will not get better by retrying. */}
      <HubNotice problem={repo.error} onRetry={repo.error?.code === 'bad-request' ? undefined : () => hubStore.getState().reloadRepository()} />
      {repo.status === 'loading' ? <p role="status">Loading {repository}…</p> : null}
      {r ? (
        <>
          {r.description ? <p className="hub-repo-desc">{r.description}</p> : null}
          {r.webUrl && /^https:\/\//.test(r.webUrl) ? (
            <p>
              <a href={r.webUrl} target="_blank" rel="noopener noreferrer">
                Open on Docker Hub
              </a>
            </p>
          ) : null}
        </>
      ) : null}

      {/* A repository that failed to load (404, bad name) has no tags or README to head: no empty sections. */}
      {repo.error && !r ? null : (
        <div className="hub-repo-body">
          <section aria-labelledby="hub-readme-title" className="hub-readme">
            <h3 id="hub-readme-title">README</h3>
            {r ? <Readme source={r.fullDescription ?? ''} /> : null}
          </section>

          <section aria-labelledby="hub-tags-title" className="hub-tags">
            <h3 id="hub-tags-title">Tags{t ? ` (${t.total.toLocaleString()})` : ''}</h3>
            {/* One notice for one cause: when the repository itself failed, the tags failed for the same reason. */}
            {repo.error ? null : <HubNotice problem={tags.error} onRetry={() => hubStore.getState().setTagsPage(tagsPage)} />}
            {(t && (t.total > 0 || tagFilter)) || tagFilter ? (
              <div className="field hub-tag-filter">
                <label htmlFor="hub-tag-filter">Filter tags</label>
                <input id="hub-tag-filter" type="search" value={tagFilter} placeholder="e.g. alpine, 1.2" autoComplete="off" onChange={(e) => hubStore.getState().setTagFilter(e.target.value)} />
              </div>
            ) : null}
            {tags.status === 'loading' && !t ? <p role="status">Loading tags…</p> : null}
            {t ? (
              <DataTable
                label="Tags"
                columns={tagColumns}
                rows={t.tags}
                rowKey={(tag) => tag.name}
                actions={[
                  {
                    label: 'Pull',
                    name: (tag) => `Pull ${pullName}:${tag.name}`,
                    className: 'small primary',
                    onClick: (tag) => setPulling(`${pullName}:${tag.name}`),
                    // A tag without images (Hub lists no platform for it) has nothing to pull.
                    when: (tag) => !Array.isArray(tag.images) || tag.images.length > 0,
                  },
                ]}
                actionsClassName="row-actions"
                loading={tags.status === 'loading'}
                // While a new page or filter loads, an empty list proves nothing yet: say nothing.
                empty={tags.status === 'loading' ? null : noTags}
              />
            ) : null}
            {t && (tagsPage > 1 || t.hasMore) ? (
              <nav className="pager" aria-label="Tag pages">
                <button type="button" disabled={tagsPage <= 1 || tags.status === 'loading'} onClick={() => hubStore.getState().setTagsPage(tagsPage - 1)}>
                  Previous tags
                </button>
                <span>
                  Page {tagsPage} of {tagPages.toLocaleString()}
                </span>
                <button type="button" disabled={!t.hasMore || tagsPage >= HUB_MAX_PAGE || tags.status === 'loading'} onClick={() => hubStore.getState().setTagsPage(tagsPage + 1)}>
                  Next tags
                </button>
              </nav>
            ) : null}
          </section>

        </div>
      )}

      {pulling ? (
        <PullDialog
          initialRef={pulling}
          autoStart
          onClose={() => setPulling(null)}
          onRun={(ref) => {
            setPulling(null);
            setRunning(ref);
          }}
        />
      ) : null}
      {running ? <RunDialog image={running} onClose={() => setRunning(null)} /> : null}
    </article>
  );
}
