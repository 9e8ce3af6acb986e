import type { BerthStatus, EngineState, VmState } from '../contract/contract';
import type { EngineStatus } from './engine';

/** The summary every client shows (status.get / status.watch), derived from the engine's detailed state. */
export function toBerthStatus(s: EngineStatus): BerthStatus {
  const v = s.vm;
  let vm: VmState;
  switch (v.state) {
    case 'starting':
      vm = { state: 'starting', stage: v.stage, percent: v.percent, ...(v.detail ? { message: v.detail } : {}) };
      break;
    case 'running':
      vm = { state: 'running', accel: v.accel, since: Date.parse(v.startedAt) };
      break;
    case 'error':
      vm = { state: 'error', reason: v.reason, hint: v.hint, lastConsoleLines: v.lastConsoleLines };
      break;
    default:
      vm = { state: v.state };
  }
  let engine: EngineState;
  if (s.problem) engine = { state: 'error', reason: s.problem.message, hint: s.problem.hint };
  else if (s.engine.ready) engine = { state: 'ready', version: s.engine.version ?? '', apiVersion: s.engine.apiVersion ?? '' };
  else if (v.state === 'running') engine = { state: 'connecting', attempt: 0 };
  else engine = { state: 'unavailable' };
  return { vm, engine };
}
