import { readSshBanner } from './net-util';
import { endOrphan, type HypervisorPidfile, type HypervisorRecord } from './pidfile';
import { qmpPowerdown, qmpResume } from './qmp';

export type AdoptableRecord = HypervisorRecord & Required<Pick<HypervisorRecord, 'sshPort' | 'accel'>>;

/**
 * A QEMU left running by an agent that died, whose guest still answers on its SSH port: the next agent takes
 * it over as it is. Null when there is none, or it was started by a Berth too old to record its port.
 */
export async function findAdoptable(pidfile: HypervisorPidfile): Promise<AdoptableRecord | null> {
  const orphan = await pidfile.findOrphan();
  if (!orphan?.sshPort || !orphan.accel) return null;
  // Its agent may have died while Resource Saver had it paused: a paused guest sends no SSH banner.
  if (orphan.qmpSocket) await qmpResume(orphan.qmpSocket).catch(() => undefined);
  return (await readSshBanner(orphan.sshPort, 8000)) ? (orphan as AdoptableRecord) : null;
}

/** A leftover QEMU that cannot be adopted: powered down (or killed) before a new boot uses the same disk. */
export async function endLeftover(pidfile: HypervisorPidfile, qmpSocket: string, say: (line: string) => void): Promise<void> {
  const orphan = await pidfile.findOrphan();
  if (!orphan) return;
  say(`stopping a VM left running by a previous agent (pid ${orphan.pid})`);
  // A paused guest would not see the power button.
  await qmpResume(orphan.qmpSocket ?? qmpSocket).catch(() => undefined);
  const how = await endOrphan(orphan, (rec) => qmpPowerdown(rec.qmpSocket ?? qmpSocket), 20_000);
  say(`previous agent's QEMU pid ${orphan.pid}: ${how}`);
  await pidfile.clear();
}
