import type { BerthStatus, EngineState, VmState } from '../contract/contract';
import type { BootProgress, VmDetail } from '../contract/vm';

/** The summary every client shows (status.get / status.watch), derived from the engine's detailed state. */
export function toBerthStatus(s: VmDetail): BerthStatus {
  let engine: EngineState;
  if (s.problem) engine = { state: 'error', reason: s.problem.message, hint: s.problem.hint };
  else if (s.engine.ready) engine = { state: 'ready', version: s.engine.version ?? '', apiVersion: s.engine.apiVersion ?? '' };
  else if (s.vm.state === 'running') engine = { state: 'connecting', attempt: 0 };
  else engine = { state: 'unavailable' };
  return { vm: vmState(s), engine, ...(s.disk ? { disk: s.disk } : {}) };
}

/** A boot is one progress from the host's first step to engine-ready: the engine's stages continue the VM's. */
function vmState(s: VmDetail): VmState {
  const v = s.vm;
  if (s.boot) return { state: 'starting', ...s.boot };
  switch (v.state) {
    case 'starting':
      return { state: 'starting', stage: v.stage, percent: v.percent, ...(v.detail ? { detail: v.detail } : {}) };
    case 'running':
      return { state: 'running', accel: v.accel, since: Date.parse(v.startedAt), ...(s.saver?.state === 'paused' ? { paused: true } : {}) };
    case 'error':
      return { state: 'error', reason: v.reason, hint: v.hint, lastConsoleLines: v.lastConsoleLines };
    default:
      return { state: v.state };
  }
}

/** The boot's progress now, or undefined when nothing is booting. */
export function bootProgress(s: VmDetail): BootProgress | undefined {
  const vm = vmState(s);
  return vm.state === 'starting' ? { stage: vm.stage, percent: vm.percent, ...(vm.detail ? { detail: vm.detail } : {}) } : undefined;
}
