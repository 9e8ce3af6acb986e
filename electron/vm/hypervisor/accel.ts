import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../../base/atomic-file';
import { nodeArchToGuest, type Accel, type GuestArch, type HostInfo } from './types';

/**
 * Accelerators to try, best first. TCG is always last: it works everywhere, just slowly. A guest of another
 * architecture than the host can only be emulated.
 */
export function accelCandidates(host: HostInfo, guest: GuestArch, kvmUsable: boolean): Accel[] {
  if (nodeArchToGuest(host.arch) !== guest) return ['tcg'];
  switch (host.platform) {
    case 'darwin':
      return ['hvf', 'tcg'];
    case 'win32':
      return ['whpx', 'tcg'];
    case 'linux':
      return kvmUsable ? ['kvm', 'tcg'] : ['tcg'];
    default:
      return ['tcg'];
  }
}

export function kvmUsable(dev = '/dev/kvm'): boolean {
  try {
    fs.accessSync(dev, fs.constants.R_OK | fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

export interface AccelMemo {
  accel: Accel;
  /** Why a better accelerator was given up, shown in status so users know why their VM is slow. */
  reason?: string;
  hostKey: string;
  at: string;
}

/** The memo is per host kind: a home directory synced to another machine must probe again. */
export function hostKeyOf(host: HostInfo, guest: GuestArch): string {
  return `${host.platform}/${host.arch}/${guest}`;
}

export class AccelMemory {
  constructor(readonly file: string) {}

  static in(vmDir: string): AccelMemory {
    return new AccelMemory(path.join(vmDir, 'accel.json'));
  }

  async read(hostKey: string): Promise<AccelMemo | null> {
    try {
      const memo = JSON.parse(await fsp.readFile(this.file, 'utf8')) as AccelMemo;
      return memo.hostKey === hostKey ? memo : null;
    } catch {
      return null;
    }
  }

  async write(memo: AccelMemo): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify(memo, null, 2) + '\n');
  }

  async forget(): Promise<void> {
    await fsp.rm(this.file, { force: true });
  }
}

/**
 * The order for this boot: a remembered fallback skips the accelerator that hung last time (saves the probe
 * deadline on every start), a forced choice from settings is used alone.
 */
export function planAccels(candidates: Accel[], forced: Accel | 'auto', memo: AccelMemo | null): Accel[] {
  if (forced !== 'auto') return [forced];
  if (memo && candidates.includes(memo.accel)) return candidates.slice(candidates.indexOf(memo.accel));
  return candidates;
}

/** This boot's plan for this host: its candidates (or the given ones), ordered by settings and by what worked here last. */
export async function accelPlanFor(
  memory: AccelMemory,
  o: { host: HostInfo; arch: GuestArch; forced: Accel | 'auto'; candidates?: Accel[]; kvmDevice?: string },
): Promise<{ plan: Accel[]; memo: AccelMemo | null; hostKey: string }> {
  const hostKey = hostKeyOf(o.host, o.arch);
  const memo = await memory.read(hostKey);
  const candidates = o.candidates ?? accelCandidates(o.host, o.arch, o.host.platform === 'linux' && kvmUsable(o.kvmDevice));
  return { plan: planAccels(candidates, o.forced, memo), memo, hostKey };
}
