import { create } from 'zustand';
import { agent } from '../connection/connection';
import type { BootProgress } from '../../../electron/contract/contract';

export type VmAction = 'start' | 'stop' | 'restart';

export interface VmControlState {
  /** The action this window asked for and is waiting on. */
  busy: VmAction | null;
  /** The last step of a restart seen here (a restart's "stopping" is not in the status). */
  progress: BootProgress | null;
  error: { message: string; hint?: string } | null;
}

/** Start, Stop and Restart as every view shows them: one request at a time, its progress and its error. */
export const useVmControl = create<VmControlState>(() => ({ busy: null, progress: null, error: null }));

function finish(p: Promise<unknown>): Promise<void> {
  return p.then(
    () => useVmControl.setState({ busy: null, progress: null }),
    (err: { message: string; hint?: string }) => useVmControl.setState({ busy: null, progress: null, error: { message: err.message, hint: err.hint } }),
  );
}

export function runVmAction(action: VmAction): Promise<void> {
  if (useVmControl.getState().busy) return Promise.resolve();
  useVmControl.setState({ busy: action, progress: null, error: null });
  if (action === 'stop') return finish(agent().call('vm.stop', {}));
  // vm.start / vm.restart items are the boot stages status.watch carries too; kept for the restart's first step.
  const h = agent().open(action === 'start' ? 'vm.start' : 'vm.restart', {}, { onItem: (progress) => useVmControl.setState({ progress }) });
  return finish(h.done);
}

/** Resource Saver by hand: pause the VM now, or wake it (any request wakes it too). */
export function setVmPaused(paused: boolean): Promise<void> {
  useVmControl.setState({ error: null });
  return agent()
    .call(paused ? 'vm.pause' : 'vm.wake', {})
    .then(
      () => undefined,
      (err: { message: string; hint?: string }) => useVmControl.setState({ error: { message: err.message, hint: err.hint } }),
    );
}

export function dismissVmError(): void {
  useVmControl.setState({ error: null });
}
