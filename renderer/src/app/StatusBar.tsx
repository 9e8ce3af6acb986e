import { useConnection } from '../connection/connection';
import { dismissVmError, setVmPaused, useVmControl } from '../stores/vm-control';
import { VmControls } from './VmControls';
import { useStatus } from '../stores/status';
import type { BerthStatus, DataDiskUsage } from '../../../electron/contract/contract';

function vmText(vm: BerthStatus['vm']): string {
  switch (vm.state) {
    case 'starting':
      return `VM starting: ${vm.stage} ${vm.percent}%${vm.detail ? ` (${vm.detail})` : ''}`;
    case 'running':
      return vm.paused ? 'VM paused (Resource Saver)' : `VM running (${vm.accel})`;
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

const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);

/** A full or nearly full data disk, before it stops the engine: what it is, and (on hover) what to do. */
function DiskWarning({ disk }: { disk: DataDiskUsage }) {
  if (disk.level === 'ok') return null;
  return (
    <a className="warn-inline" data-testid="disk-warning" href="#/disk" title={disk.hint}>
      {disk.level === 'full' ? 'Data disk full' : 'Data disk nearly full'} ({gib(disk.usedBytes)} of {gib(disk.sizeBytes)} GiB)
    </a>
  );
}

/** Agent connection, VM and engine at a glance; the VM can be started, stopped and restarted from here. */
export function StatusBar() {
  const conn = useConnection();
  const status = useStatus((s) => s.status);
  const control = useVmControl();
  const agentText =
    conn.state === 'open' ? 'Agent connected' : conn.state === 'no-token' ? 'No access token' : conn.state === 'connecting' ? 'Connecting to agent…' : `Agent unreachable, retrying (attempt ${conn.attempt})`;
  const vm = status?.vm;
  // A restart's first step (stopping) happens before the status says "starting": show it from the stream.
  const restartStep = control.busy === 'restart' && vm?.state !== 'starting' && control.progress ? control.progress : null;
  return (
    <footer className="statusbar" aria-label="Status">
      <span className={`dot ${conn.state === 'open' ? 'ok' : 'bad'}`} aria-hidden="true" />
      <span data-testid="agent-status">{agentText}</span>
      {status ? (
        <>
          <span className="sep" aria-hidden="true">
            |
          </span>
          <span
            data-testid="vm-status"
            title={vm?.state === 'error' ? vm.hint : vm?.state === 'running' && vm.paused ? 'No container ran for a while: the VM is paused to save CPU and memory. Any request wakes it.' : undefined}
          >
            {restartStep ? `VM restarting: ${restartStep.stage}` : vmText(status.vm)}
          </span>
          {vm?.state === 'starting' ? <progress max={100} value={vm.percent} aria-label="VM start progress" /> : null}
          <span className="sep" aria-hidden="true">
            |
          </span>
          <span data-testid="engine-status">{engineText(status.engine)}</span>
          {status.disk ? <DiskWarning disk={status.disk} /> : null}
          {vm?.state === 'running' && status.engine.state === 'ready' ? (
            <button type="button" className="small" data-testid="saver-toggle" onClick={() => void setVmPaused(!vm.paused)}>
              {vm.paused ? 'Wake' : 'Pause'}
            </button>
          ) : null}
          <VmControls small />
          {control.error ? (
            <span className="error-inline" role="alert" title={control.error.hint}>
              {control.error.message}
              <button type="button" className="icon" aria-label="Dismiss error" onClick={dismissVmError}>
                ×
              </button>
            </span>
          ) : null}
        </>
      ) : null}
    </footer>
  );
}
