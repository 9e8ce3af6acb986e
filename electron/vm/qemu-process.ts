import { spawn, type ChildProcess } from 'node:child_process';
import type { BootOutcome } from './boot-outcome';
import type { ConsoleLog } from './console-log';
import { readSshBanner } from './net-util';

export interface LaunchOptions {
  command: string;
  args: string[];
  sshPort: number;
  console: ConsoleLog;
  /** Null: no probe (the last accelerator of a plan gets the whole boot timeout). */
  probeMs: number | null;
  bootTimeoutMs: number;
  /** Subscribes to the guest's boot-stage lines; returns the unsubscribe. */
  onGuestStage(listener: () => void): () => void;
  cancelled(): boolean;
  onBanner(banner: string): void;
}

export interface LaunchedQemu {
  /** Null when the spawn itself failed (the outcome says why). */
  proc: ChildProcess | null;
  /** QEMU's last stderr (its own errors, e.g. a host port it could not bind). */
  stderr(): string;
  outcome: Promise<BootOutcome>;
}

/**
 * Spawns QEMU in its own session and waits until the guest's sshd answers (ready), QEMU exits, or the probe or
 * boot deadline passes. The probe catches a hung accelerator: no boot stage on the console within probeMs.
 */
export function launchQemu(o: LaunchOptions): LaunchedQemu {
  o.console.open();
  let proc: ChildProcess;
  try {
    // Own session: the terminal's Ctrl-C goes to the agent, which then powers the guest down cleanly.
    proc = spawn(o.command, o.args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const stderr = (err as Error).message;
    return { proc: null, stderr: () => stderr, outcome: Promise.resolve({ kind: 'exited', code: null, signal: null, stderr }) };
  }
  let stderr = '';
  proc.stdout!.on('data', (d: Buffer) => o.console.write(d));
  proc.stderr!.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4096);
    o.console.write(d);
  });

  const outcome = new Promise<BootOutcome>((resolve) => {
    let settled = false;
    let sawStage = false;
    const timers: NodeJS.Timeout[] = [];
    const unsubscribe = o.onGuestStage(() => (sawStage = true));
    const finish = (result: BootOutcome) => {
      if (settled) return;
      settled = true;
      timers.forEach(clearTimeout);
      unsubscribe();
      resolve(result);
    };
    proc.once('error', (err) => finish({ kind: 'exited', code: null, signal: null, stderr: err.message }));
    proc.once('exit', (code, signal) => finish({ kind: 'exited', code, signal, stderr }));
    if (o.probeMs !== null) timers.push(setTimeout(() => !sawStage && finish({ kind: 'no-stage' }), o.probeMs));
    timers.push(setTimeout(() => finish({ kind: 'timeout' }), o.bootTimeoutMs));
    const poll = async () => {
      while (!settled) {
        if (o.cancelled()) return finish({ kind: 'cancelled' });
        if (sawStage) {
          // Generous: on a loaded host sshd can take seconds to send its banner, and a short read would fail
          // every attempt. Nothing listening answers at once (slirp closes the connection).
          const banner = await readSshBanner(o.sshPort, 8000);
          if (banner) {
            o.onBanner(banner);
            return finish({ kind: 'ready' });
          }
        }
        // Once the guest has printed a stage, sshd is near: ask often (a refused connect costs slirp little).
        await new Promise((r) => setTimeout(r, sawStage ? 100 : 250));
      }
    };
    void poll();
  });
  return { proc, stderr: () => stderr, outcome };
}
