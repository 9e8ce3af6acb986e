import fs from 'node:fs';
import path from 'node:path';

/**
 * Berth's own import graph, read from the sources (relative specifiers only; packages are not ours). Used by
 * layers.test.ts to keep the house layered: lint forbids the upward imports it can name, this finds circles.
 */

const SOURCE = /\.(ts|tsx|mts|mjs)$/;
const SPECIFIER = /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/g;
const EXTENSIONS = ['', '.ts', '.tsx', '.mjs', '/index.ts', '/index.tsx'];

export function listSources(root: string, dirs: string[], skip: RegExp): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (skip.test(rel)) continue;
      if (entry.isDirectory()) walk(rel);
      else if (SOURCE.test(entry.name)) out.push(rel);
    }
  };
  for (const d of dirs) walk(d);
  return out.sort();
}

/** file -> the files it imports (both relative to root). */
export function importGraph(root: string, files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    const targets: string[] = [];
    for (const m of text.matchAll(SPECIFIER)) {
      const base = path.normalize(path.join(path.dirname(file), m[1] ?? m[2] ?? m[3]));
      const hit = EXTENSIONS.map((e) => base + e).find((f) => known.has(f));
      if (hit) targets.push(hit);
    }
    graph.set(file, targets);
  }
  return graph;
}

/** Collapses files into units (e.g. their folder) and keeps the edges between different units. */
export function unitGraph(graph: Map<string, string[]>, unitOf: (file: string) => string): Map<string, string[]> {
  const units = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = unitOf(file);
    const set = units.get(from) ?? new Set<string>();
    units.set(from, set);
    for (const t of targets) if (unitOf(t) !== from) set.add(unitOf(t));
  }
  return new Map([...units].map(([k, v]) => [k, [...v]]));
}

/** Every circle in a graph: its strongly connected components of more than one node, or a node importing itself. */
export function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}
