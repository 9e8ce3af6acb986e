import { useEffect, useState } from 'react';
import type { ContainerSummary } from '../../../../electron/contract/model';
import { exitMeaning, isRestartLoop } from '../../../../electron/contract/exit-reason';
import { agent } from '../../connection/connection';

/** Log lines a stopped container's details show: enough for the error that ended it. */
export const LAST_LINES = 20;

interface InspectState {
  State?: { FinishedAt?: string; Error?: string; Health?: { Status?: string; Log?: { ExitCode?: number; Output?: string; End?: string }[] } };
}

/** State.Health's last probe and the engine's own error, read by inspect when the summary changes. */
function useInspectState(c: ContainerSummary, wanted: boolean): InspectState['State'] | null {
  const [state, setState] = useState<InspectState['State'] | null>(null);
  useEffect(() => {
    if (!wanted) return;
    let live = true;
    void agent()
      .call('containers.inspect', { id: c.id })
      .then((info) => live && setState((info as InspectState).State ?? null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [c.id, c.status, c.state, wanted]);
  return state;
}

/** The last lines a stopped container printed (one request, no follow). */
function useLastLines(id: string, stopped: boolean, finished: string | undefined): string[] {
  const [lines, setLines] = useState<string[]>([]);
  useEffect(() => {
    if (!stopped) return setLines([]);
    const got: string[] = [];
    const h = agent().open(
      'containers.logs',
      { id, follow: false, tail: LAST_LINES },
      {
        onItem: (b) => void got.push(...b.lines.map((l) => l.slice(l.indexOf(' ') + 1))),
        onEnd: () => setLines(got.slice(-LAST_LINES)),
      },
    );
    return () => h.cancel();
  }, [id, stopped, finished]);
  return lines;
}

/**
 * Why the container stopped, keeps restarting, or is unhealthy: exit code with its meaning, OOM kill, restart
 * count, the last health probe's output, and the last lines it printed. Nothing for a healthy running container.
 */
export function StopReason({ c }: { c: ContainerSummary }) {
  const stopped = c.state === 'exited' || c.state === 'dead';
  const show = stopped || c.state === 'restarting' || !!c.restartCount || (!!c.health && c.health !== 'healthy');
  const state = useInspectState(c, show);
  const lines = useLastLines(c.id, stopped, state?.FinishedAt);
  const probe = state?.Health?.Log?.at(-1);
  if (!show) return null;
  return (
    <section className="stop-reason" aria-label="Why it stopped">
      <dl>
        {c.exitCode !== undefined ? (
          <>
            <dt>Exit code</dt>
            <dd>
              {c.exitCode} — {exitMeaning(c.exitCode)}
            </dd>
          </>
        ) : null}
        {c.oomKilled ? (
          <>
            <dt>Memory</dt>
            <dd className="danger-text">OOM-killed: it used more memory than its limit (or the VM had)</dd>
          </>
        ) : null}
        {state?.Error ? (
          <>
            <dt>Engine error</dt>
            <dd>{state.Error}</dd>
          </>
        ) : null}
        {c.restartCount ? (
          <>
            <dt>Restarts</dt>
            <dd>
              {c.restartCount}
              {isRestartLoop(c) ? ' — restart loop: it fails each time it starts' : ''}
            </dd>
          </>
        ) : null}
        {c.health ? (
          <>
            <dt>Health</dt>
            <dd>
              {c.health}
              {probe ? ` (last probe exited ${probe.ExitCode ?? '?'})` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      {probe?.Output ? (
        <pre className="probe-output" aria-label="Last health probe output">
          {probe.Output.trim()}
        </pre>
      ) : null}
      {stopped && lines.length ? (
        <pre className="last-lines" aria-label="Last log lines">
          {lines.join('\n')}
        </pre>
      ) : null}
    </section>
  );
}
