import { GUEST_DATA_MOUNT } from './guest-df';
import type { ExecResult } from './tunnel';


/**
 * A larger diskGiB grows the qcow2 before boot (electron/vm/data-disk.ts); this grows the ext4 on it to match,
 * online, once the VM runs. With nothing to grow, resize2fs says so and changes nothing.
 */
export async function growGuestFilesystem(exec: (command: string) => Promise<ExecResult>): Promise<{ grown: boolean; output: string }> {
  const r = await exec(`dev=$(awk '$2=="${GUEST_DATA_MOUNT}"{print $1; exit}' /proc/mounts) && [ -n "$dev" ] && resize2fs "$dev" 2>&1`);
  const output = `${r.stdout}${r.stderr}`.trim();
  return { grown: /is now \d+ .*blocks long/.test(output), output };
}
