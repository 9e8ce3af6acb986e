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
