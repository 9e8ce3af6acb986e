import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { circles, importGraph, listSources, unitGraph } from './import-graph';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NOT_PRODUCT = /(^|\/)(node_modules|testing|rootfs)(\/|$)|\.test\.tsx?$|(^|\/)bench/;

/** The unit a file belongs to: electron/<folder> (routes count as the agent's), renderer, vm-images. */
function unitOf(file: string): string {
  const [top, second] = file.split('/');
  if (top !== 'electron') return top;
  return `electron/${second}`;
}

describe('the layered house', () => {
  const files = listSources(ROOT, ['electron', 'renderer/src', 'vm-images'], NOT_PRODUCT);
  const graph = importGraph(ROOT, files);

  it('reads the product code', () => {
    // A walk that found nothing would pass every check below.
    expect(files.length).toBeGreaterThan(150);
    expect(graph.get('electron/agent/services.ts')).toContain('electron/agent/routes/vm.ts');
  });

  it('has no circle between files', () => {
    expect(circles(graph)).toEqual([]);
  });

  it('has no circle between folders (each layer only imports those below it)', () => {
    expect(circles(unitGraph(graph, unitOf))).toEqual([]);
  });

  it('finds a circle when there is one', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(circles(g)).toEqual([['a', 'b', 'c']]);
  });
});
