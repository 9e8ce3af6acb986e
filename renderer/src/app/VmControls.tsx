import { useStatus } from '../stores/status';
import { runVmAction, useVmControl } from '../stores/vm-control';

/**
 * Start, Stop and Restart for the VM, offered by state: a stopped (or failed) VM can start; a running or
 * starting one can stop or restart. Used in the status bar and the Troubleshoot view.
 */
export function VmControls({ small }: { small?: boolean }) {
  const vm = useStatus((s) => s.status?.vm.state);
  const busy = useVmControl((s) => s.busy);
  if (!vm) return null;
  const cls = small ? 'small' : undefined;
  const down = vm === 'stopped' || vm === 'error';
  return (
    <span className="vm-controls">
      {down ? (
        <button type="button" className={cls} disabled={!!busy} onClick={() => void runVmAction('start')}>
          {busy === 'start' ? 'Starting…' : 'Start VM'}
        </button>
      ) : null}
      {!down ? (
        <>
          <button type="button" className={cls} disabled={!!busy || vm === 'stopping'} onClick={() => void runVmAction('stop')}>
            {busy === 'stop' || vm === 'stopping' ? 'Stopping…' : 'Stop VM'}
          </button>
          <button type="button" className={cls} disabled={!!busy || vm === 'stopping'} onClick={() => void runVmAction('restart')}>
            {busy === 'restart' ? 'Restarting…' : 'Restart VM'}
          </button>
        </>
      ) : null}
    </span>
  );
}
