import { create } from 'zustand';

export const views = ['containers', 'compose', 'images', 'volumes', 'networks', 'hub', 'disk', 'settings', 'troubleshoot'] as const;
export type ViewName = (typeof views)[number];
export const detailTabs = ['logs', 'terminal', 'inspect', 'stats', 'files'] as const;
export type DetailTab = (typeof detailTabs)[number];

export interface Route {
  view: ViewName;
  /** A container's details: its id and the open tab. */
  containerId?: string;
  tab?: DetailTab;
  /** A Docker Hub repository's page (`busybox`, `acmecorp/app`). */
  repository?: string;
}

/** `#/containers`, `#/containers/<id>/<tab>`: hash routes, so reloads and the agent's single index both work. */
export function parseHash(hash: string): Route {
  const [view, id, tab] = hash.replace(/^#\/?/, '').split('/');
  const v = (views as readonly string[]).includes(view) ? (view as ViewName) : 'containers';
  if (v === 'hub' && id) return { view: v, repository: decodeURIComponent(id) };
  if (v === 'containers' && id) {
    return { view: v, containerId: decodeURIComponent(id), tab: (detailTabs as readonly string[]).includes(tab) ? (tab as DetailTab) : 'logs' };
  }
  return { view: v };
}

export function routeHash(r: Route): string {
  if (r.view === 'hub' && r.repository) return `#/hub/${encodeURIComponent(r.repository)}`;
  return r.containerId ? `#/${r.view}/${encodeURIComponent(r.containerId)}/${r.tab ?? 'logs'}` : `#/${r.view}`;
}

export const useRoute = create<Route>(() => parseHash(typeof location === 'undefined' ? '' : location.hash));

export function navigate(r: Route): void {
  const hash = routeHash(r);
  if (location.hash !== hash) location.hash = hash;
  useRoute.setState(r, true);
}

export function followHash(): () => void {
  const on = () => useRoute.setState(parseHash(location.hash), true);
  window.addEventListener('hashchange', on);
  return () => window.removeEventListener('hashchange', on);
}
