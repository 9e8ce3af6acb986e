import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../../electron/contract/model';
import { buildContainerRows } from './container-rows';

function c(name: string, state: ContainerSummary['state'], project: string | null = null): ContainerSummary {
  return {
    id: `${name}-id`,
    name,
    image: 'img',
    imageId: 'sha256:1',
    command: '',
    state,
    status: '',
    created: 0,
    ports: [],
    project,
    service: null,
    labels: {},
    mounts: [],
    networks: [],
  };
}

const all = [c('web', 'running', 'shop'), c('db', 'exited', 'shop'), c('solo', 'running'), c('old', 'exited')];
const none = new Set<string>();

describe('the containers list rows', () => {
  it('groups compose projects first with a header, then the rest by name', () => {
    const rows = buildContainerRows(all, { search: '', runningOnly: false, collapsed: none });
    expect(rows.map((r) => (r.kind === 'group' ? `[${r.project} ${r.running}/${r.ids.length}]` : r.c.name))).toEqual(['[shop 1/2]', 'db', 'web', 'old', 'solo']);
  });

  it('filters to running and by search', () => {
    const running = buildContainerRows(all, { search: '', runningOnly: true, collapsed: none });
    expect(running.filter((r) => r.kind === 'container').map((r) => r.kind === 'container' && r.c.name)).toEqual(['web', 'solo']);
    const searched = buildContainerRows(all, { search: 'SHO', runningOnly: false, collapsed: none });
    expect(searched.filter((r) => r.kind === 'container')).toHaveLength(2);
  });

  it('a folded project keeps its header (and group actions) but hides its members', () => {
    const rows = buildContainerRows(all, { search: '', runningOnly: false, collapsed: new Set(['shop']) });
    expect(rows[0]).toMatchObject({ kind: 'group', project: 'shop', ids: ['db-id', 'web-id'] });
    expect(rows).toHaveLength(3);
  });

  it('builds 2,000 rows fast', () => {
    const many = Array.from({ length: 2000 }, (_, i) => c(`svc-${i}`, i % 3 ? 'running' : 'exited', i % 10 ? `p${i % 40}` : null));
    const t0 = performance.now();
    const rows = buildContainerRows(many, { search: 'svc-1', runningOnly: false, collapsed: none });
    expect(performance.now() - t0).toBeLessThan(50);
    expect(rows.length).toBeGreaterThan(0);
  });
});
