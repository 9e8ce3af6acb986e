import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { ContainerSummary } from '../../electron/contract/model';
import { useConnection } from '../src/connection/connection';
import { containersStore } from '../src/stores/domains';
import { ContainersView } from '../src/views/containers/ContainersView';
import { LogView } from '../src/views/containers/LogView';
import { LOG_APPLY_BUDGET_MS } from '../src/views/containers/LogsPanel';
import { LogBuffer } from '../src/views/containers/log-buffer';
import { frameBatcher } from '../src/stores/frame-batcher';
import { useReducer, useEffect } from 'react';
import '../src/styles.css';
import { fakeContainer } from './fake-data';
import { mountFixture } from './fixture';

/**
 * Measures the two places where the UI could stall: the first render of a 2,000-container list, and 100k log
 * lines streaming in (batches arriving as WebSocket messages would, applied once per frame).
 */
declare global {
  interface Window {
    __bench?: Record<string, number>;
  }
}

const CONTAINERS = 2000;
const LOG_LINES = 100_000;
const BATCH = 500;

const longTasks: { start: number; duration: number }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) longTasks.push({ start: e.startTime, duration: e.duration });
}).observe({ type: 'longtask', buffered: true });

const nextFrame = () => new Promise<void>((r) => requestAnimationFrame(() => setTimeout(r, 0)));
const maxTaskSince = (t: number) =>
  Math.max(0, ...longTasks.filter((x) => x.start >= t).map((x) => x.duration));

function LogHarness({
  buffer,
  onReady,
}: {
  buffer: LogBuffer;
  onReady(push: (lines: string[]) => void): void;
}) {
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    const b = frameBatcher<string[]>(
      (batches) => {
        for (const lines of batches) buffer.append(lines);
        bump();
      },
      { budgetMs: LOG_APPLY_BUDGET_MS },
    );
    onReady((lines) => b.push(lines));
    return () => b.cancel();
  }, [buffer, onReady]);
  return <LogView buffer={buffer} version={version} name="bench" />;
}

/**
 * The baseline, measured in the same run so the machine's speed shows: the same 2,000 rows as a plain React list
 * (no virtualization, no stores), the simplest thing anyone would write first.
 */
function PlainList({ items }: { items: ContainerSummary[] }) {
  return (
    <div>
      {items.map((c) => (
        <div key={c.id} style={{ display: 'flex', gap: 6, height: 36 }}>
          <input type="checkbox" aria-label={`Select ${c.name}`} />
          <button type="button">{c.name}</button>
          <span>{c.image}</span>
          <span>{c.state}</span>
          <span>{c.cpuPercent}</span>
          <span>{c.memBytes}</span>
          <button type="button">Stop</button>
          <button type="button">Remove</button>
        </div>
      ))}
    </div>
  );
}

async function measurePlain(root: ReturnType<typeof createRoot>, items: ContainerSummary[]): Promise<number> {
  const t = performance.now();
  flushSync(() => root.render(<PlainList items={items} />));
  const ms = performance.now() - t;
  root.render(<></>);
  await nextFrame();
  return ms;
}

/** A fixed synthetic JS workload (sort 50k numbers, stringify and parse 5k objects): the machine's speed now. */
function calibrate(): number {
  const t = performance.now();
  const nums = Array.from({ length: 50_000 }, (_, i) => (i * 2654435761) % 1_000_003);
  nums.sort((a, b) => a - b);
  const objs = Array.from({ length: 5_000 }, (_, i) => ({
    id: i,
    name: `service-${i}`,
    tags: ['a', 'b'],
    n: nums[i],
  }));
  JSON.parse(JSON.stringify(objs));
  return performance.now() - t;
}

/**
 * The long-task baseline, measured in the same run: 1 s of back-to-back tasks that each do the same small fixed
 * work (sort 3,000 numbers). On an idle machine each takes ~1 ms; the longest one's wall time is how long this
 * machine, now, stretches a tiny task (the OS giving the core to other processes mid-task, a GC), which no
 * code in the page can prevent. The log stream's longest task reads against it.
 */
async function stallProbe(): Promise<{ medianMs: number; maxMs: number; tasks: number }> {
  const work = Array.from({ length: 3000 }, (_, i) => (i * 2654435761) % 1_000_003);
  const durations: number[] = [];
  const channel = new MessageChannel();
  const end = performance.now() + 1000;
  await new Promise<void>((resolve) => {
    channel.port1.onmessage = () => {
      const t = performance.now();
      work.slice().sort((a, b) => a - b);
      durations.push(performance.now() - t);
      if (performance.now() < end) channel.port2.postMessage(0);
      else resolve();
    };
    channel.port2.postMessage(0);
  });
  channel.port1.close();
  durations.sort((a, b) => a - b);
  return {
    medianMs: durations[durations.length >> 1],
    maxMs: durations[durations.length - 1],
    tasks: durations.length,
  };
}

async function run() {
  useConnection.setState({ state: 'open', attempt: 0 });
  calibrate();
  const calibration = calibrate();
  const root = createRoot(document.getElementById('root')!);
  const items = Array.from({ length: CONTAINERS }, (_, i) => fakeContainer(i));
  // Warm-up, then the baseline: the plain list's second render is what the machine does at steady state.
  await measurePlain(root, items);
  const baseline = await measurePlain(root, items);
  containersStore.getState().apply({ kind: 'snapshot', ready: true, items });
  await nextFrame();

  const t0 = performance.now();
  flushSync(() => root.render(<ContainersView />));
  const firstRender = performance.now() - t0;
  performance.measure('bench:first-render', { start: t0 });
  await nextFrame();
  const firstPaint = performance.now() - t0;
  performance.measure('bench:first-paint', { start: t0 });
  const rowsInDom = document.querySelectorAll('.crow').length;

  // Live updates: 200 containers change state in one delta.
  const tU = performance.now();
  containersStore.getState().apply({
    kind: 'delta',
    upserts: Array.from({ length: 200 }, (_, i) => ({
      ...fakeContainer(i * 10),
      state: 'exited' as const,
      cpuPercent: undefined,
    })),
    removes: [],
  });
  await nextFrame();
  const updateMs = performance.now() - tU;

  root.render(<></>);
  await nextFrame();

  const tProbe = performance.now();
  const probe = await stallProbe();
  performance.measure('bench:probe', { start: tProbe });

  const buffer = new LogBuffer();
  let push!: (lines: string[]) => void;
  await new Promise<void>((resolve) => {
    flushSync(() =>
      root.render(
        <LogHarness
          buffer={buffer}
          onReady={(p) => {
            push = p;
            resolve();
          }}
        />,
      ),
    );
  });
  const tLogs = performance.now();
  let n = 0;
  const ts = new Date().toISOString();
  // Batches arrive as separate tasks, like WebSocket messages.
  await new Promise<void>((resolve) => {
    const send = () => {
      for (let k = 0; k < 4 && n < LOG_LINES; k++) {
        const lines: string[] = [];
        for (let i = 0; i < BATCH; i++, n++)
          lines.push(
            `${ts} GET /api/items/${n} 200 ${n % 97}ms user=${n % 13} trace=${(n * 2654435761) % 4294967296}`,
          );
        push(lines);
      }
      if (n < LOG_LINES) setTimeout(send, 0);
      else resolve();
    };
    send();
  });
  while (buffer.length < LOG_LINES) await nextFrame();
  await nextFrame();
  const logsMs = performance.now() - tLogs;
  performance.measure('bench:logs', { start: tLogs });
  const logMaxTask = maxTaskSince(tLogs);
  // The search starts in a task of its own: in the task that closed the logs phase, the trace would count the
  // keystroke's work as the log stream's.
  await new Promise((r) => setTimeout(r, 0));

  // Typing a search term over the full 100k lines.
  const input = document.querySelector<HTMLInputElement>('input[aria-label="Search logs"]')!;
  const tSearch = performance.now();
  const setter = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.set!;
  setter.call(input, 'user=7 ');
  input.dispatchEvent(new Event('input', { bubbles: true }));
  await nextFrame();
  const searchMs = performance.now() - tSearch;
  performance.measure('bench:search', { start: tSearch });
  const searchMaxTask = maxTaskSince(tSearch);

  window.__bench = {
    containers: CONTAINERS,
    baselinePlainListMs: Math.round(baseline * 10) / 10,
    calibrationMs: Math.round(calibration * 10) / 10,
    firstRenderMs: Math.round(firstRender * 10) / 10,
    firstPaintMs: Math.round(firstPaint * 10) / 10,
    rowsInDom,
    update200Ms: Math.round(updateMs * 10) / 10,
    probeTasks: probe.tasks,
    probeMedianTaskMs: Math.round(probe.medianMs * 10) / 10,
    probeMaxTaskMs: Math.round(probe.maxMs * 10) / 10,
    logLines: buffer.length,
    logsStreamMs: Math.round(logsMs),
    logsMaxLongTaskMs: Math.round(logMaxTask),
    logsLongTasks: longTasks.filter((x) => x.start >= tLogs && x.start < tSearch).length,
    searchMs: Math.round(searchMs * 10) / 10,
    searchMaxLongTaskMs: Math.round(searchMaxTask),
    searchMatches: buffer.matchCount,
  };
}

// `?fixture`: the same views with fake data and no benchmark, for e2e/windowed-lists.spec.ts to drive.
if (new URLSearchParams(location.search).has('fixture')) mountFixture();
else void run();
