import { EventEmitter } from 'node:events';
import { isAlive } from './process-info';

/** What the VM needs of its QEMU process, whether it spawned it or adopted it from an agent that died. */
export interface VmProcess {
  readonly pid?: number;
  readonly exitCode: number | null;
  readonly signalCode: NodeJS.Signals | null;
  kill(signal?: NodeJS.Signals): boolean;
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): this;
}

/**
 * A QEMU started by an earlier agent: not our child, so its exit is noticed by polling the pid (no exit code
 * or signal can be known), and its console is no longer ours to read.
 */
export class AdoptedProcess extends EventEmitter<{ exit: [number | null, NodeJS.Signals | null] }> implements VmProcess {
  exitCode: number | null = null;
  signalCode: NodeJS.Signals | null = null;
  private readonly timer: NodeJS.Timeout;

  constructor(readonly pid: number) {
    super();
    this.timer = setInterval(() => {
      if (isAlive(this.pid)) return;
      clearInterval(this.timer);
      this.exitCode = -1;
      this.emit('exit', null, null);
    }, 500);
    this.timer.unref();
  }

  kill(signal: NodeJS.Signals = 'SIGTERM'): boolean {
    try {
      process.kill(this.pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}

/** Resolves when the process has exited (at once when it already has). */
export function exitOf(proc: VmProcess): Promise<void> {
  return new Promise<void>((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once('exit', () => r())));
}

/**
 * Power button first (through QMP, else SIGTERM) so dockerd stops containers and the guest unmounts its disks;
 * SIGKILL only after the budget. Resolves once QEMU is gone; false when it had to be killed.
 */
export async function powerOff(proc: VmProcess, powerButton: () => Promise<void>, timeoutMs: number): Promise<boolean> {
  const exited = exitOf(proc);
  try {
    await powerButton();
  } catch {
    proc.kill('SIGTERM');
  }
  const graceful = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs))]);
  if (!graceful) {
    proc.kill('SIGKILL');
    await exited;
  }
  return graceful;
}
