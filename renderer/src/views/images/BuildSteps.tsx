import { useEffect, useRef } from 'react';
import type { BuildEvent } from '../../../../electron/contract/build';

/** Lines kept per step: a chatty RUN must not grow the dialog without bound (the tail is what matters). */
const MAX_LINES = 400;

export interface BuildStepView {
  step: number;
  total: number;
  instruction: string;
  output: string[];
  failed?: string;
}

export interface BuildLog {
  /** Output before the first step (e.g. a context that could not be read). */
  preamble: string[];
  steps: BuildStepView[];
  imageId: string | null;
}

function keepTail(lines: string[]): string[] {
  return lines.length > MAX_LINES ? [`… ${lines.length - MAX_LINES + 1} earlier lines not shown`, ...lines.slice(-(MAX_LINES - 1))] : lines;
}

/** Folds a batch of build events into the log the dialog shows (a new object, for React state). */
export function foldBuildEvents(prev: BuildLog, events: BuildEvent[], dropped?: number): BuildLog {
  const steps = prev.steps.map((s) => ({ ...s }));
  let preamble = prev.preamble;
  let imageId = prev.imageId;
  const current = () => steps.at(-1);
  if (dropped) {
    const note = `… ${dropped} lines skipped (the build was faster than the window)`;
    const s = current();
    if (s) s.output = [...s.output, note];
    else preamble = [...preamble, note];
  }
  for (const e of events) {
    if (e.kind === 'step') steps.push({ step: e.step, total: e.total, instruction: e.instruction, output: [] });
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
  return { preamble: keepTail(preamble), steps, imageId };
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
  return (
    <div className="build-steps">
      {log.preamble.length ? <pre className="build-output">{log.preamble.join('\n')}</pre> : null}
      <ol aria-label="Build steps">
        {log.steps.map((s) => {
          const state = s.failed ? 'failed' : running && s === last ? 'running' : 'done';
          return (
            <li key={s.step} className={`build-step ${state}`} aria-label={`Step ${s.step} of ${s.total}: ${s.instruction} (${state})`}>
              <div className="build-step-head">
                <span className="build-step-no">
                  {s.step}/{s.total}
                </span>
                <code>{s.instruction}</code>
                <span className="build-step-state">{state === 'failed' ? 'failed' : state === 'running' ? 'running…' : ''}</span>
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
