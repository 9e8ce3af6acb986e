import type { ContainerSummary } from '../../../../electron/contract/model';

export type ContainerRowModel =
  | { kind: 'group'; key: string; project: string; ids: string[]; running: number }
  | { kind: 'container'; key: string; c: ContainerSummary; inGroup: boolean };

export interface RowFilter {
  search: string;
  runningOnly: boolean;
  /** Projects the user folded. */
  collapsed: ReadonlySet<string>;
}

function matches(c: ContainerSummary, q: string): boolean {
  if (!q) return true;
  return (
    c.name.toLowerCase().includes(q) ||
    c.image.toLowerCase().includes(q) ||
    c.id.startsWith(q) ||
    (c.project ?? '').toLowerCase().includes(q) ||
    c.ports.some((p) => String(p.publicPort ?? '') === q || String(p.privatePort) === q)
  );
}

/**
 * The list as rows to virtualize: compose projects first (a header row, then their services), then the rest,
 * each sorted by name. A folded project keeps its header so its group actions stay reachable.
 */
export function buildContainerRows(all: Iterable<ContainerSummary>, f: RowFilter): ContainerRowModel[] {
  const q = f.search.trim().toLowerCase();
  const groups = new Map<string, ContainerSummary[]>();
  const loose: ContainerSummary[] = [];
  for (const c of all) {
    if (f.runningOnly && c.state !== 'running' && c.state !== 'paused' && c.state !== 'restarting') continue;
    if (!matches(c, q)) continue;
    if (c.project) {
      let g = groups.get(c.project);
      if (!g) groups.set(c.project, (g = []));
      g.push(c);
    } else loose.push(c);
  }
  const byName = (a: ContainerSummary, b: ContainerSummary) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const rows: ContainerRowModel[] = [];
  for (const project of [...groups.keys()].sort()) {
    const members = groups.get(project)!.sort(byName);
    rows.push({
      kind: 'group',
      key: `g:${project}`,
      project,
      ids: members.map((c) => c.id),
      running: members.filter((c) => c.state === 'running').length,
    });
    if (!f.collapsed.has(project)) for (const c of members) rows.push({ kind: 'container', key: c.id, c, inGroup: true });
  }
  for (const c of loose.sort(byName)) rows.push({ kind: 'container', key: c.id, c, inGroup: false });
  return rows;
}
