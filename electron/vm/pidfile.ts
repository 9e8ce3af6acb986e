import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../base/atomic-file';
import type { Accel } from '../contract/vm';
import type { Share } from './hypervisor/types';
import { commandLineOf, isAlive, waitForExit } from './process-info';

export interface HypervisorRecord {
  pid: number;
  dataDisk: string;
  qmpSocket?: string;
  startedAt: string;
  /** What a later agent needs to adopt the running VM instead of powering it down. */
  sshPort?: number;
  accel?: Accel;
  shares?: Share[];
}

/**
 * The hypervisor runs in its own session (a Ctrl-C in the agent's terminal must not pull the plug), so if the
 * agent dies it keeps running. This record is how the next agent finds it: to adopt it (reconnect, containers
 * keep running) or, when it does not answer, to end it instead of booting a second VM onto the same disk.
 */
export class HypervisorPidfile {
  readonly file: string;

  constructor(vmDir: string) {
    this.file = path.join(vmDir, 'hypervisor.pid.json');
  }

  async write(rec: HypervisorRecord): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(rec) + '\n');
  }

  async read(): Promise<HypervisorRecord | null> {
    try {
      return JSON.parse(await fs.readFile(this.file, 'utf8')) as HypervisorRecord;
    } catch {
      return null;
    }
  }

  async clear(): Promise<void> {
    await fs.rm(this.file, { force: true });
  }

  /** An orphan is a live process that is still our hypervisor on our disk; a recycled pid is not. */
  async findOrphan(): Promise<HypervisorRecord | null> {
    const rec = await this.read();
    if (!rec) return null;
    const cmd = commandLineOf(rec.pid);
    if (cmd && cmd.includes(rec.dataDisk)) return rec;
    await this.clear();
    return null;
  }
}

/**
 * Graceful first (the guest flushes its filesystems on power-down), then SIGKILL. `powerdown` is given by the
 * caller because it talks QMP.
 */
export async function endOrphan(
  rec: HypervisorRecord,
  powerdown: (rec: HypervisorRecord) => Promise<void>,
  graceMs: number,
): Promise<'powered-down' | 'killed' | 'gone'> {
  if (!isAlive(rec.pid)) return 'gone';
  try {
    await powerdown(rec);
    if (await waitForExit(rec.pid, graceMs)) return 'powered-down';
  } catch {
    // No QMP (socket gone or hung): fall through to the kill.
  }
  try {
    process.kill(rec.pid, 'SIGKILL');
  } catch {
    return 'gone';
  }
  await waitForExit(rec.pid, 5000);
  return 'killed';
}

/**
 * The agent is exiting without a stop (crash, or an exit path that skipped shutdown): SIGTERM makes QEMU flush
 * its disk images and quit, far better than leaving a VM nobody controls.
 */
export function terminateOnAgentExit(pid: number | undefined): void {
  if (!pid || !isAlive(pid)) return;
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    // already gone
  }
}
