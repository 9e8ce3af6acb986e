import { BerthError } from '../base/errors';
import type { ExecResult } from './tunnel';

/** The guest's docker data (a bind of the data disk's ext4). */
const DOCKER_DATA = '/var/lib/docker';

/**
 * Tells the data disk which blocks are free (fstrim), so QEMU (discard=unmap) punches them out of the qcow2 and
 * the host gets the space back. The guest also mounts with `discard`; fstrim catches what that missed.
 */
export async function trimGuest(exec: (command: string) => Promise<ExecResult>): Promise<number> {
  // sync first: blocks freed in the running journal transaction are not free (nor trimmable) until it commits.
  const r = await exec(`sync; fstrim -v ${DOCKER_DATA}`);
  // The exit status can be lost on a closing channel (code null): fstrim's own report is what counts.
  const m = /\((\d+) bytes\) trimmed/.exec(r.stdout);
  if (!m && r.code !== 0) {
    throw new BerthError('vm', `fstrim failed in the VM: ${(r.stderr || r.stdout).trim() || `exit ${r.code}`}`, 'See `berth logs`; the space comes back on the next trim.');
  }
  // util-linux: "/var/lib/docker: 1 GiB (1073741824 bytes) trimmed"
  return m ? Number(m[1]) : 0;
}

/** Engine events after which data on the disk was freed. */
const FREEING = new Set(['container:destroy', 'image:delete', 'volume:destroy', 'builder:prune', 'image:prune', 'volume:prune', 'container:prune']);

export function freesDiskSpace(ev: { Type?: string; Action?: string }): boolean {
  return FREEING.has(`${ev.Type}:${ev.Action}`);
}

/**
 * One trim a while after things were removed, however many went at once (a prune is many events). The delay
 * lets a burst finish; it stays well within "a couple of minutes".
 */
export class DebouncedTrim {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly trim: () => Promise<unknown>,
    private readonly delayMs = 30_000,
    private readonly log: (m: string) => void = () => undefined,
  ) {}

  poke(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.trim().catch((err: Error) => this.log(`automatic trim failed: ${err.message}`));
    }, this.delayMs);
    this.timer.unref();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
