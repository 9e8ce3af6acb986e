import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { HubRepository, HubSearchPage, HubTagsPage } from '../../../electron/contract/hub';
import type { ErrorInfo } from '../../../electron/base/errors';
import { agent, type AgentConnection } from '../connection/connection';

export type HubFilter = 'all' | 'official' | 'verified-publisher';

/** What a failed Hub call left for the view, with the moment a rate limit lifts. */
export interface HubProblem extends ErrorInfo {
  /** ms since epoch; only for 'rate-limited' with a retryAfter. */
  retryAt?: number;
}

export interface Loadable<T> {
  status: 'idle' | 'loading' | 'done' | 'error';
  data: T | null;
  error: HubProblem | null;
}

export interface HubState {
  query: string;
  filter: HubFilter;
  page: number;
  pageSize: number;
  search: Loadable<HubSearchPage>;
  /** The repository page being shown (a pull name like `busybox` or `acmecorp/app`); null: the search list. */
  repository: string | null;
  repo: Loadable<HubRepository>;
  tagsPage: number;
  /** Only tags whose name contains this (Hub filters, so it works across all pages). */
  tagFilter: string;
  tags: Loadable<HubTagsPage>;
}

export interface HubActions {
  /** Typing: waits for a pause before searching, so each keystroke does not cost a Hub request. */
  setQuery(query: string): void;
  setFilter(filter: HubFilter): void;
  setPage(page: number): void;
  /** Search now (first load, a retry after an error). */
  searchNow(): void;
  openRepository(name: string): void;
  closeRepository(): void;
  setTagsPage(page: number): void;
  /** Typing in the tag filter: debounced like the search. */
  setTagFilter(text: string): void;
  reloadRepository(): void;
  /** Cancels pending timers and requests (view unmounted, tests). */
  dispose(): void;
}

export type HubStore = StoreApi<HubState & HubActions>;

type Caller = Pick<AgentConnection, 'call'>;

export interface HubStoreOptions {
  /** Where calls go; the app's agent connection unless a test hands in a client of its own agent. */
  client?: () => Caller;
  debounceMs?: number;
  pageSize?: number;
  tagsPageSize?: number;
  now?: () => number;
}

const idle = <T>(): Loadable<T> => ({ status: 'idle', data: null, error: null });

function problem(err: unknown, now: number): HubProblem {
  const e = err as Partial<ErrorInfo> & { message?: string };
  const info: HubProblem = { code: e.code ?? 'internal', message: e.message ?? String(err), hint: e.hint, retryAfter: e.retryAfter };
  if (info.code === 'rate-limited' && typeof info.retryAfter === 'number') info.retryAt = now + info.retryAfter * 1000;
  return info;
}

/**
 * Docker Hub browsing state. Every request has its own AbortController: a newer search (or leaving a
 * repository) cancels the older one, so a slow answer for "bus" can never overwrite the answer for "busybox",
 * and the agent stops asking Hub for results nobody will see.
 */
export function createHubStore(options: HubStoreOptions = {}): HubStore {
  const client = options.client ?? (() => agent());
  const debounceMs = options.debounceMs ?? 300;
  const now = options.now ?? Date.now;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let tagTimer: ReturnType<typeof setTimeout> | undefined;
  let searchCtl: AbortController | null = null;
  let repoCtl: AbortController | null = null;
  let tagsCtl: AbortController | null = null;

  return createStore<HubState & HubActions>()((set, get) => {
    const runSearch = () => {
      clearTimeout(timer);
      timer = undefined;
      searchCtl?.abort();
      const ctl = new AbortController();
      searchCtl = ctl;
      const { query, filter, page, pageSize } = get();
      set((s) => ({ search: { ...s.search, status: 'loading', error: null } }));
      client()
        .call('hub.search', { query: query.trim(), filter, page, pageSize }, { signal: ctl.signal })
        .then(
          (data) => {
            if (!ctl.signal.aborted) set({ search: { status: 'done', data, error: null } });
          },
          (err: unknown) => {
            // The previous query's results under this query's error would read as its answer: they go.
            if (!ctl.signal.aborted) set({ search: { status: 'error', data: null, error: problem(err, now()) } });
          },
        );
    };

    const loadTags = () => {
      const name = get().repository;
      tagsCtl?.abort();
      if (!name) return;
      const ctl = new AbortController();
      tagsCtl = ctl;
      clearTimeout(tagTimer);
      const { tagsPage: page, tagFilter } = get();
      set((s) => ({ tags: { ...s.tags, status: 'loading', error: null } }));
      const filter = tagFilter.trim() ? { name: tagFilter.trim() } : {};
      client()
        .call('hub.tags', { repository: name, page, pageSize: options.tagsPageSize ?? 25, ...filter }, { signal: ctl.signal })
        .then(
          (data) => {
            if (!ctl.signal.aborted) set({ tags: { status: 'done', data, error: null } });
          },
          (err: unknown) => {
            if (!ctl.signal.aborted) set({ tags: { status: 'error', data: null, error: problem(err, now()) } });
          },
        );
    };

    const loadRepository = () => {
      const name = get().repository;
      repoCtl?.abort();
      if (!name) return;
      const ctl = new AbortController();
      repoCtl = ctl;
      set({ repo: { status: 'loading', data: null, error: null } });
      client()
        .call('hub.repository', { repository: name }, { signal: ctl.signal })
        .then(
          (data) => {
            if (!ctl.signal.aborted) set({ repo: { status: 'done', data, error: null } });
          },
          (err: unknown) => {
            if (!ctl.signal.aborted) set({ repo: { status: 'error', data: null, error: problem(err, now()) } });
          },
        );
      loadTags();
    };

    return {
      query: '',
      filter: 'all',
      page: 1,
      pageSize: options.pageSize ?? 25,
      search: idle(),
      repository: null,
      repo: idle(),
      tagsPage: 1,
      tagFilter: '',
      tags: idle(),

      setQuery(query) {
        set({ query, page: 1 });
        clearTimeout(timer);
        // The answer for the old text is already stale: stop waiting for it now, not only when the new one starts.
        searchCtl?.abort();
        searchCtl = null;
        set((s) => ({ search: { ...s.search, status: 'loading', error: null } }));
        timer = setTimeout(runSearch, debounceMs);
      },
      setFilter(filter) {
        set({ filter, page: 1 });
        runSearch();
      },
      setPage(page) {
        set({ page: Math.max(1, page) });
        runSearch();
      },
      searchNow: runSearch,
      openRepository(name) {
        set({ repository: name, tagsPage: 1, tagFilter: '', tags: idle() });
        loadRepository();
      },
      closeRepository() {
        clearTimeout(tagTimer);
        repoCtl?.abort();
        tagsCtl?.abort();
        set({ repository: null, repo: idle(), tags: idle(), tagsPage: 1 });
      },
      setTagsPage(page) {
        set({ tagsPage: Math.max(1, page) });
        loadTags();
      },
      setTagFilter(text) {
        set({ tagFilter: text, tagsPage: 1 });
        clearTimeout(tagTimer);
        tagsCtl?.abort();
        set((s) => ({ tags: { ...s.tags, status: 'loading', error: null } }));
        tagTimer = setTimeout(loadTags, debounceMs);
      },
      reloadRepository: loadRepository,
      dispose() {
        clearTimeout(timer);
        clearTimeout(tagTimer);
        searchCtl?.abort();
        repoCtl?.abort();
        tagsCtl?.abort();
      },
    };
  });
}

export const hubStore = createHubStore();

export function useHub<R>(select: (s: HubState & HubActions) => R): R {
  return useStore(hubStore, select);
}
