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
