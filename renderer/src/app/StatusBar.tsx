import { useState } from 'react';
import { agent, useConnection } from '../connection/connection';
import { useStatus } from '../stores/status';
import type { BerthStatus } from '../../../electron/contract/contract';

function vmText(vm: BerthStatus['vm']): string {
  switch (vm.state) {
    case 'starting':
      return `VM starting: ${vm.stage} ${vm.percent}%${vm.detail ? ` (${vm.detail})` : ''}`;
    case 'running':
      return `VM running (${vm.accel})`;
    case 'error':
      return `VM error: ${vm.reason}`;
    default:
      return `VM ${vm.state}`;
  }
}

function engineText(e: BerthStatus['engine']): string {
  switch (e.state) {
    case 'ready':
      return `Engine ${e.version}`;
    case 'connecting':
      return 'Engine connecting…';
    case 'error':
      return `Engine error: ${e.reason}`;
    default:
      return 'Engine unavailable';
  }
}

/** Agent connection, VM and engine at a glance; the VM can be started from here. */
export function StatusBar() {
  const conn = useConnection();
  const status = useStatus((s) => s.status);
  const [starting, setStarting] = useState(false);
  const [startError, setStartError] = useState<string | null>(null);
  const agentText =
    conn.state === 'open' ? 'Agent connected' : conn.state === 'no-token' ? 'No access token' : conn.state === 'connecting' ? 'Connecting to agent…' : `Agent unreachable, retrying (attempt ${conn.attempt})`;
  const start = () => {
    setStarting(true);
    setStartError(null);
    // vm.start's items are the boot progress status.watch already carries (one shape, one source), so the bar
    // shows the status and this stream only tells when the boot ended and how.
    const h = agent().open('vm.start', {}, { onItem: () => undefined });
    h.done.then(
      () => setStarting(false),
      (err: Error) => {
        setStarting(false);
        setStartError(err.message);
      },
    );
  };
  const vm = status?.vm;
  return (
    <footer className="statusbar" aria-label="Status">
      <span className={`dot ${conn.state === 'open' ? 'ok' : 'bad'}`} aria-hidden="true" />
      <span data-testid="agent-status">{agentText}</span>
      {status ? (
        <>
          <span className="sep" aria-hidden="true">
            |
          </span>
          <span data-testid="vm-status" title={vm?.state === 'error' ? vm.hint : undefined}>
            {vmText(status.vm)}
          </span>
          {vm?.state === 'starting' ? <progress max={100} value={vm.percent} aria-label="VM start progress" /> : null}
          <span className="sep" aria-hidden="true">
            |
          </span>
          <span data-testid="engine-status">{engineText(status.engine)}</span>
          {(vm?.state === 'stopped' || vm?.state === 'error') && !starting ? (
            <button type="button" className="small" onClick={start}>
              Start VM
            </button>
          ) : null}
          {startError ? (
            <span className="error-inline" role="alert">
              {startError}
            </span>
          ) : null}
        </>
      ) : null}
    </footer>
  );
}
