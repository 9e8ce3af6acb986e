import type { ExecResult } from './tunnel';

/**
 * Sets the guest's clock to the host's, to the millisecond. Needed after Resource Saver's pause (QMP `stop`
 * stops the guest's clock with its vCPUs), after a host sleep and after QEMU itself was stopped (SIGSTOP): the
 * guest has no NTP, and a clock minutes behind breaks TLS, `docker ps`'s ages and build caches.
 */
export async function syncGuestClock(exec: (command: string) => Promise<ExecResult>): Promise<void> {
  // The time is taken as the command leaves: the SSH hop adds a few ms, well inside what anyone notices.
  const r = await exec(`date -u -s @${(Date.now() / 1000).toFixed(3)} >/dev/null`);
  if (r.code !== 0) throw new Error(`date -s failed in the VM: ${r.stderr.trim() || `exit ${r.code}`}`);
}

/** The guest's clock minus the host's, in ms (tests and `berth status`), measured around one SSH round trip. */
export async function guestClockOffsetMs(exec: (command: string) => Promise<ExecResult>): Promise<number> {
  const t0 = Date.now();
  const r = await exec('date +%s.%N');
  const t1 = Date.now();
  return Math.round(Number(r.stdout.trim()) * 1000 - (t0 + t1) / 2);
}
