import type { VmDetail, VmStatus } from '../contract/vm';
import { isStopped } from '../vm/process-info';
import { UNRESPONSIVE_AFTER_MS } from './tunnel';

/**
 * A running VM that has not answered over SSH for a while: frozen (SIGSTOP, a host that slept) or hung. Said
 * plainly, with how long, instead of "tunnel connecting" for minutes.
 */
export function unresponsiveProblem(vm: VmStatus, silentMs: number): VmDetail['problem'] {
  if (vm.state !== 'running' || silentMs < UNRESPONSIVE_AFTER_MS) return undefined;
  const stopped = isStopped(vm.pid) ? ' (its QEMU process is stopped, e.g. by SIGSTOP or a debugger)' : '';
  return {
    code: 'unresponsive',
    message: `The VM is not responding: no answer for ${Math.round(silentMs / 1000)} s${stopped}`,
    hint: 'Berth reconnects as soon as it answers again. If it stays stuck, restart it with `berth stop && berth start`.',
  };
}
