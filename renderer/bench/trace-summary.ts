/**
 * Reads a Chromium performance trace of the bench page (`npm run bench:ui -- --trace`) and says where the time
 * went: for each bench phase (a `performance.measure` named `bench:*`), the JS functions that ran (self time
 * from V8's sampling profiler) and the engine work (GC, style, layout, paint); and for each long task, its
 * wall time next to the CPU time its thread actually got (a task that waited for a core is not slow code).
 */

export interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  id?: string;
  args?: Record<string, unknown>;
}

interface ProfileNode {
  id: number;
  parent?: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

/** A main-thread task: the devtools category names it RunTask, the cheap `toplevel` one ThreadControllerImpl::RunTask. */
const isTask = (e: TraceEvent) => e.ph === 'X' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');

const ms = (us: number) => Math.round(us / 100) / 10;

/** Engine work worth naming apart from "script": GC pauses, style, layout, paint. */
const ENGINE_WORK: Record<string, string> = {
  MinorGC: 'GC (minor)',
  MajorGC: 'GC (major)',
  'V8.GC_SCAVENGER': 'GC (minor)',
  'V8.GC_MARK_COMPACTOR': 'GC (major)',
  'BlinkGC.AtomicPhase': 'GC (Blink)',
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  PrePaint: 'paint',
  Paint: 'paint',
  Layerize: 'paint',
  ParseHTML: 'parse',
  CompileScript: 'compile',
  'v8.compile': 'compile',
  'V8.CompileCode': 'compile',
};

/** The renderer main thread: where the bench's user timing marks were recorded. */
function mainThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  const mark = events.find((e) => e.cat.includes('blink.user_timing') && e.name.startsWith('bench:'));
  if (mark) return { pid: mark.pid, tid: mark.tid };
  const named = events.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  return named ? { pid: named.pid, tid: named.tid } : null;
}

/** `performance.measure` spans as [start, end] in trace microseconds (async begin/end pairs). */
function phases(events: TraceEvent[]): Map<string, [number, number]> {
  const open = new Map<string, number>();
  const out = new Map<string, [number, number]>();
  for (const e of events) {
    if (!e.cat.includes('blink.user_timing') || !e.name.startsWith('bench:')) continue;
    if (e.ph === 'b') open.set(e.name, e.ts);
    else if (e.ph === 'e' && open.has(e.name)) out.set(e.name, [open.get(e.name)!, e.ts]);
  }
  return out;
}

/** V8's samples from the trace's ProfileChunk events, as (timestamp, function label) pairs. */
function samples(events: TraceEvent[], pid: number): { ts: number; fn: string }[] {
  const nodes = new Map<number, ProfileNode>();
  const out: { ts: number; fn: string }[] = [];
  const chunks = events
    .filter((e) => e.pid === pid && (e.name === 'Profile' || e.name === 'ProfileChunk'))
    .sort((a, b) => a.ts - b.ts);
  let ts = 0;
  for (const e of chunks) {
    const data = e.args?.data as
      | {
          startTime?: number;
          cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
          timeDeltas?: number[];
        }
      | undefined;
    if (!data) continue;
    if (e.name === 'Profile') {
      ts = data.startTime ?? e.ts;
      continue;
    }
    for (const n of data.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    const ids = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    ids.forEach((id, i) => {
      ts += deltas[i] ?? 0;
      const f = nodes.get(id)?.callFrame;
      if (!f) return;
      const file = f.url ? f.url.split('/').pop() : '';
      out.push({ ts, fn: `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}` });
    });
  }
  return out;
}

function top(totals: Map<string, number>, n: number): string[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${ms(v).toString().padStart(7)} ms  ${k}`);
}

/** Time in [from, to] on the main thread spent in each kind of engine work (outermost events only). */
function engineWork(
  events: TraceEvent[],
  thread: { pid: number; tid: number },
  from: number,
  to: number,
): Map<string, number> {
  const totals = new Map<string, number>();
  const coveredUntil = new Map<string, number>();
  for (const e of events) {
    if (e.pid !== thread.pid || e.tid !== thread.tid || e.ph !== 'X' || !e.dur) continue;
    const kind = ENGINE_WORK[e.name];
    if (!kind || e.ts < from || e.ts > to) continue;
    if ((coveredUntil.get(kind) ?? 0) > e.ts) continue; // nested inside one already counted
    coveredUntil.set(kind, e.ts + e.dur);
    totals.set(kind, (totals.get(kind) ?? 0) + e.dur);
  }
  return totals;
}

/** The trace categories `phaseTasks` needs: cheap enough to record in every run. */
export const TASK_CATEGORIES = ['toplevel', 'blink.user_timing'];

/**
 * The main thread's tasks overlapping one bench phase: the longest by wall time (what a long-task observer sees)
 * with the CPU time its thread got, and the most CPU any one task used (what the page's code costs).
 */
export function phaseTasks(
  events: TraceEvent[],
  phase: string,
): { longestWallMs: number; itsCpuMs: number; mostCpuMs: number } | null {
  const thread = mainThread(events);
  const span = phases(events).get(phase);
  if (!thread || !span) return null;
  const tasks = events.filter(
    (e) =>
      e.pid === thread.pid &&
      e.tid === thread.tid &&
      isTask(e) &&
      // Overlapping the phase: the first render runs inside a task that began a little before its mark.
      e.ts + (e.dur ?? 0) >= span[0] &&
      e.ts <= span[1],
  );
  if (!tasks.length) return { longestWallMs: 0, itsCpuMs: 0, mostCpuMs: 0 };
  const longest = tasks.reduce((a, b) => ((b.dur ?? 0) > (a.dur ?? 0) ? b : a));
  return {
    longestWallMs: ms(longest.dur ?? 0),
    itsCpuMs: ms(longest.tdur ?? 0),
    mostCpuMs: ms(Math.max(...tasks.map((t) => t.tdur ?? 0))),
  };
}

/** The report, as lines to print. */
export function summarizeTrace(events: TraceEvent[]): string[] {
  const thread = mainThread(events);
  if (!thread) return ['trace: no renderer main thread found'];
  const lines: string[] = [];
  const spans = phases(events);
  const all = samples(events, thread.pid);
  const interval = all.length > 1 ? (all[all.length - 1].ts - all[0].ts) / (all.length - 1) : 0;
  for (const [name, [from, to]] of spans) {
    lines.push(`${name}: ${ms(to - from)} ms wall`);
    const fns = new Map<string, number>();
    for (const s of all) if (s.ts >= from && s.ts <= to) fns.set(s.fn, (fns.get(s.fn) ?? 0) + interval);
    lines.push('  engine work:', ...top(engineWork(events, thread, from, to), 8).map((l) => `    ${l}`));
    lines.push('  JS self time (sampled):', ...top(fns, 12).map((l) => `    ${l}`));
  }
  const tasks = events.filter(
    (e) =>
      e.pid === thread.pid &&
      e.tid === thread.tid &&
      e.ph === 'X' &&
      e.name === 'RunTask' &&
      (e.dur ?? 0) > 50_000,
  );
  lines.push(`long tasks (over 50 ms) on the main thread: ${tasks.length}`);
  for (const t of tasks) {
    const phase =
      [...spans.entries()].find(([, [a, b]]) => t.ts >= a && t.ts <= b)?.[0] ?? 'outside the phases';
    const work = top(engineWork(events, thread, t.ts, t.ts + t.dur!), 4).map((l) =>
      l.trim().replace(/\s+/g, ' '),
    );
    const fns = new Map<string, number>();
    for (const s of all)
      if (s.ts >= t.ts && s.ts <= t.ts + t.dur!) fns.set(s.fn, (fns.get(s.fn) ?? 0) + interval);
    lines.push(
      `  ${ms(t.dur!)} ms wall, ${t.tdur !== undefined ? `${ms(t.tdur)} ms on a core` : 'thread time unknown'} (${phase})`,
      `    engine: ${work.join('; ') || 'none'}`,
      `    JS: ${
        top(fns, 4)
          .map((l) => l.trim().replace(/\s+/g, ' '))
          .join('; ') || 'none sampled'
      }`,
    );
  }
  return lines;
}
