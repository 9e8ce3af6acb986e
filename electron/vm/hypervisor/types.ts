import type { Accel } from '../../contract/vm';

export type { Accel };
export type GuestArch = 'amd64' | 'arm64';

export interface HostInfo {
  platform: NodeJS.Platform;
  /** Node's spelling: 'x64' | 'arm64' | ... */
  arch: string;
}

export interface Share {
  tag: string;
  path: string;
  /** 9p (QEMU serves it) unless a virtiofsd serves it; say which, `shares.list` and `berth status` show it. */
  transport?: '9p' | 'virtiofs';
  /** virtiofs only: the vhost-user socket of the share's virtiofsd (QEMU's `-chardev socket`). */
  socket?: string;
}

/** What every backend needs to boot the guest; each backend turns it into its own command line. */
export interface MachineSpec {
  arch: GuestArch;
  cpus: number;
  memoryMiB: number;
  kernel: string;
  initrd: string;
  cmdline: string;
  shares: Share[];
}

export interface QemuSpec extends MachineSpec {
  accel: Accel;
  /** Disk arguments exactly as the guest image wants them (vm-images' qemuDiskArgs). */
  diskArgs: string[];
  /** stdio lets the agent read console lines live; a file survives the agent. */
  serial: { kind: 'stdio' } | { kind: 'file'; path: string };
  qmpSocket: string;
  /** Host loopback port forwarded to the guest's sshd. */
  sshPort: number;
  /** vm-images may ship a QEMU firmware-less direct boot; left undefined we rely on -kernel. */
  qemuBinary?: string;
}

export interface VfkitSpec extends MachineSpec {
  /** vfkit takes raw images only (no qcow2). */
  rootfs: string;
  dataDisk: string;
  consoleLog: string;
  /** vfkit's REST endpoint for state and stop; a unix socket keeps it private to the user. */
  restSocket: string;
  mac: string;
  vfkitBinary?: string;
}

export interface LaunchCommand {
  command: string;
  args: string[];
}

export function nodeArchToGuest(arch: string): GuestArch | null {
  if (arch === 'x64') return 'amd64';
  if (arch === 'arm64') return 'arm64';
  return null;
}
