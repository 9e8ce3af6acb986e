import type { DataDiskUsage } from '../contract/vm';

/** Where the guest mounts the data disk (vm-images/guest: images, containers, volumes all live there). */
export const GUEST_DATA_MOUNT = '/mnt/data';
/** The guest's boot gives this file back when it finds the disk full, and makes it again once 1 GiB is free. */
const RESERVE_FILE = `${GUEST_DATA_MOUNT}/state/reserve`;
const RESERVE_RELEASED = 'berth: reserve released';
export const DISK_USAGE_COMMAND = `busybox df -k ${GUEST_DATA_MOUNT}; [ -e ${RESERVE_FILE} ] || echo '${RESERVE_RELEASED}'`;

const NEARLY_FULL = 0.9;
/** Below this much left for ordinary writes the engine starts failing (the guest's boot reserve is 256 MiB). */
const FULL_BYTES = 256 * 2 ** 20;
/** Free space at which the guest makes its reserve again: below it, a released reserve still means "full". */
const RESERVE_BACK_BYTES = 2 ** 30;

const gib = (bytes: number) => (bytes / 2 ** 30).toFixed(1);

/** Reads `df -k` of the data disk into its usage and what to do about it; null when the output is not df's. */
export function parseDiskUsage(dfOutput: string): DataDiskUsage | null {
  const fields = dfOutput.trim().split('\n')[1]?.trim().split(/\s+/);
  if (!fields || fields.length < 4) return null;
  const [size, used, available] = fields.slice(1, 4).map((n) => Number(n) * 1024);
  if (![size, used, available].every(Number.isFinite) || size <= 0) return null;
  const usage = `${gib(used)} of ${gib(size)} GiB used`;
  const clean = 'remove unused images, containers, volumes or build cache (the Disk view, or `docker system prune`), or grow the disk (`berth settings set diskGiB=N`, then restart the VM)';
  // After a boot on a full disk the released reserve is what is left: the disk is still full to the user.
  const released = dfOutput.includes(RESERVE_RELEASED) && available < RESERVE_BACK_BYTES;
  if (available < FULL_BYTES || released) return { usedBytes: used, sizeBytes: size, level: 'full', hint: `The data disk is full (${usage}): ${clean}.` };
  if (used / size >= NEARLY_FULL) {
    return { usedBytes: used, sizeBytes: size, level: 'nearly-full', hint: `The data disk is nearly full (${usage}, ${Math.round((used / size) * 100)}%): ${clean}.` };
  }
  return { usedBytes: used, sizeBytes: size, level: 'ok' };
}
