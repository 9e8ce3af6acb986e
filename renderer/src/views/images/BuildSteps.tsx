import { useEffect, useRef } from 'react';
import type { BuilderName, BuildEvent } from '../../../../electron/contract/build';

/** Lines kept per step: a chatty RUN must not grow the dialog without bound (the tail is what matters). */
const MAX_LINES = 400;

export interface BuildStepView {
  step: number;
  /** Known for the classic builder's numbered steps only. */
  total?: number;
  instruction: string;
  output: string[];
  failed?: string;
  /** BuildKit says when each step ends (steps may run side by side); the classic builder's end when the next starts. */
  ended?: 'done' | 'cached';
}

export interface BuildLog {
  /** Output before the first step (e.g. a context that could not be read). */
  preamble: string[];
  steps: BuildStepView[];
  imageId: string | null;
  builder?: BuilderName;
}

function keepTail(lines: string[]): string[] {
  return lines.length > MAX_LINES ? [`… ${lines.length - MAX_LINES + 1} earlier lines not shown`, ...lines.slice(-(MAX_LINES - 1))] : lines;
}

/** Folds a batch of build events into the log the dialog shows (a new object, for React state). */
export function foldBuildEvents(prev: BuildLog, events: BuildEvent[], dropped?: number): BuildLog {
  const steps = prev.steps.map((s) => ({ ...s }));
  let preamble = prev.preamble;
  let imageId = prev.imageId;
  let builder = prev.builder;
  const current = () => steps.at(-1);
  if (dropped) {
    const note = `… ${dropped} lines skipped (the build was faster than the window)`;
    const s = current();
    if (s) s.output = [...s.output, note];
    else preamble = [...preamble, note];
  }
  for (const e of events) {
    if (e.kind === 'builder') builder = e.name;
    else if (e.kind === 'step') steps.push({ step: e.step, ...(e.total ? { total: e.total } : {}), instruction: e.instruction, output: [] });
    else if (e.kind === 'step-done') {
      const s = steps.find((x) => x.step === e.step);
      if (s) s.ended = e.cached ? 'cached' : 'done';
    }
    else if (e.kind === 'output') {
      const s = steps.find((x) => x.step === e.step);
      if (s) s.output = [...s.output, e.text];
      else preamble = [...preamble, e.text];
    } else if (e.kind === 'failed') {
      const s = steps.find((x) => x.step === e.step);
      if (s) s.failed = e.message;
      else preamble = [...preamble, e.message];
    } else imageId = e.imageId;
  }
  for (const s of steps) s.output = keepTail(s.output);
  return { preamble: keepTail(preamble), steps, imageId, ...(builder ? { builder } : {}) };
}

/** The build's steps as they run: each with its output; the failed one marked and labelled. */
export function BuildSteps({ log, running }: { log: BuildLog; running: boolean }) {
  const end = useRef<HTMLDivElement>(null);
  const last = log.steps.at(-1);
  // Follow the newest line while the build runs, as a terminal would.
  useEffect(() => {
    if (running) end.current?.scrollIntoView?.({ block: 'nearest' });
  }, [running, log]);
  if (!log.steps.length && !log.preamble.length) return running ? <p role="status">Sending the build context…</p> : null;
  const stateOf = (s: BuildStepView) => {
    if (s.failed) return 'failed';
    if (s.ended) return s.ended;
    // BuildKit reports each end, so any step without one still runs; classic steps end when the next begins.
    const open = log.builder === 'BuildKit' ? running : running && s === last;
    return open ? 'running' : 'done';
  };
  return (
    <div className="build-steps">
      {log.builder ? <p className="build-builder">Built with {log.builder === 'BuildKit' ? 'BuildKit' : 'the classic builder'}</p> : null}
      {log.preamble.length ? <pre className="build-output">{log.preamble.join('\n')}</pre> : null}
      <ol aria-label="Build steps">
        {log.steps.map((s) => {
          const state = stateOf(s);
          const place = s.total ? `${s.step}/${s.total}` : `${s.step}`;
          return (
            <li key={s.step} className={`build-step ${state}`} aria-label={`Step ${s.total ? `${s.step} of ${s.total}` : s.step}: ${s.instruction} (${state})`}>
              <div className="build-step-head">
                <span className="build-step-no">{place}</span>
                <code>{s.instruction}</code>
                <span className="build-step-state">{state === 'failed' ? 'failed' : state === 'running' ? 'running…' : state === 'cached' ? 'cached' : ''}</span>
              </div>
              {s.output.length ? <pre className="build-output">{s.output.join('\n')}</pre> : null}
              {s.failed ? (
                <p className="error-inline" role="alert">
                  {s.failed}
                </p>
              ) : null}
            </li>
          );
        })}
      </ol>
      <div ref={end} />
    </div>
  );
}
