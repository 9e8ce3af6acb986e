import { useEffect, useState } from 'react';
import type { HubProblem } from '../../stores/hub';

/** Re-renders every second until `until` has passed; returns the current time. */
function useNowUntil(until: number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until || until <= Date.now()) return;
    const t = setInterval(() => {
      const n = Date.now();
      setNow(n);
      if (n >= until) clearInterval(t);
    }, 1000);
    return () => clearInterval(t);
  }, [until]);
  return now;
}

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export const OFFLINE_TITLE = 'Docker Hub cannot be reached — the rest of Berth keeps working';

/**
 * Why Hub gave nothing, in words a user can act on. Offline and rate limits are expected states, not crashes:
 * they get their own wording (and for a rate limit, when to try again), and a retry button.
 */
export function HubNotice({ problem, onRetry }: { problem: HubProblem | null; onRetry?(): void }) {
  const now = useNowUntil(problem?.retryAt);
  if (!problem || problem.code === 'cancelled') return null;
  let title: string;
  let detail: string | undefined = problem.hint;
  let waitLeft = 0;
  if (problem.code === 'offline') {
    title = OFFLINE_TITLE;
    detail = [problem.hint, 'Images, containers and volumes you already have are unaffected.'].filter(Boolean).join(' ');
  } else if (problem.code === 'rate-limited') {
    title = 'Docker Hub is rate-limiting requests';
    if (problem.retryAt) {
      waitLeft = Math.max(0, Math.ceil((problem.retryAt - now) / 1000));
      detail =
        waitLeft > 0
          ? `Try again in ${waitLeft} s (at ${clock(problem.retryAt)}). Logging in to Docker Hub in Settings > Registries raises the limit.`
          : 'The wait is over: you can try again now.';
    } else {
      detail = problem.hint ?? 'Try again in a minute.';
    }
  } else if (problem.code === 'not-found') {
    title = 'Not found on Docker Hub';
    detail = problem.message === title ? problem.hint : [problem.message, problem.hint].filter(Boolean).join('. ');
  } else {
    title = problem.message;
  }
  return (
    <div className={`error-note hub-notice hub-notice-${problem.code}`} role="alert">
      <strong className="hub-notice-title">{title}</strong>
      {detail ? <span className="hint"> {detail}</span> : null}
      {onRetry ? (
        <button type="button" className="small" onClick={onRetry} disabled={waitLeft > 0}>
          Try again
        </button>
      ) : null}
    </div>
  );
}
