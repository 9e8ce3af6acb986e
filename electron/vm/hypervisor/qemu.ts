import { archProfile } from '../../../vm-images/arch';
import { TCG_ACCEL } from '../../../vm-images/tcg';
import type { Accel, GuestArch, LaunchCommand, QemuSpec } from './types';

/** The user-mode network's id: the monitor's hostfwd_add/hostfwd_remove name it (vm/host-forwards.ts). */
export const USER_NETDEV_ID = 'net0';

export function qemuBinaryFor(arch: GuestArch, platform: NodeJS.Platform): string {
  const base = arch === 'amd64' ? 'qemu-system-x86_64' : 'qemu-system-aarch64';
  return platform === 'win32' ? `${base}.exe` : base;
}

function machineArgs(arch: GuestArch, accel: Accel): string[] {
  if (arch === 'amd64') {
    // q35: PCIe and a modern chipset for virtio-pci.
    return ['-machine', 'q35'];
  }
  // virt is the only sensible arm64 board.
  return ['-machine', accel === 'hvf' ? 'virt,highmem=on' : 'virt'];
}

/**
 * Hardware accelerators pass the host CPU through (fastest, and the guest sees the real feature set); under TCG
 * `max` emulates every feature QEMU can, which keeps x86-64-v2/v3 images (RHEL 9 family) working, minus what TCG
 * emulates slowly (see vm-images/arch.ts). whpx cannot pass `host` through, so it gets `max` as well.
 */
export function cpuModel(accel: Accel, arch: GuestArch): string {
  if (accel === 'kvm' || accel === 'hvf') return 'host';
  if (accel === 'tcg') return archProfile(arch).tcgCpu;
  return 'max';
}

export function buildQemuCommand(spec: QemuSpec, platform: NodeJS.Platform = process.platform): LaunchCommand {
  const accelArg = spec.accel === 'tcg' ? TCG_ACCEL : spec.accel;
  const args: string[] = [
    ...machineArgs(spec.arch, spec.accel),
    '-accel',
    accelArg,
    '-cpu',
    cpuModel(spec.accel, spec.arch),
    '-smp',
    String(spec.cpus),
    '-m',
    `${spec.memoryMiB}M`,
    '-nodefaults',
    '-no-user-config',
    '-nographic',
    // A panicking or rebooting guest exits QEMU, so the agent sees the failure instead of a boot loop.
    '-no-reboot',
    '-kernel',
    spec.kernel,
    '-initrd',
    spec.initrd,
    '-append',
    spec.cmdline,
    ...spec.diskArgs,
    '-netdev',
    `user,id=${USER_NETDEV_ID},hostfwd=tcp:127.0.0.1:${spec.sshPort}-:22`,
    // romfile=: no iPXE option ROM; we boot with -kernel, and initialising iPXE costs boot time under TCG.
    '-device',
    `virtio-net-pci,netdev=${USER_NETDEV_ID},romfile=`,
    '-device',
    'virtio-rng-pci',
    // Free page reporting: the guest tells QEMU which pages it freed and QEMU gives them back to the host, so
    // the VM's resident size follows what the guest uses instead of staying at its peak. No balloon inflation.
    '-device',
    'virtio-balloon-pci,free-page-reporting=on',
    // signal=off: a Ctrl-C typed where the agent runs must never reach the guest console as SIGINT to QEMU.
    ...(spec.serial.kind === 'stdio'
      ? ['-chardev', 'stdio,id=console,signal=off', '-serial', 'chardev:console']
      : ['-chardev', `file,id=console,path=${spec.serial.path}`, '-serial', 'chardev:console']),
    '-qmp',
    `unix:${spec.qmpSocket},server=on,wait=off`,
    '-monitor',
    'none',
  ];
  args.push(...shareArgs(spec));
  return { command: spec.qemuBinary ?? qemuBinaryFor(spec.arch, platform), args };
}

/**
 * 9p shares are served by QEMU itself; virtiofs shares by a virtiofsd each (started before QEMU, vm/virtiofsd.ts),
 * reached over its vhost-user socket. vhost-user needs the guest's RAM in shared memory that virtiofsd maps: a
 * memfd backend as the one NUMA node (free page reporting still returns freed pages: QEMU punches holes in it).
 */
function shareArgs(spec: QemuSpec): string[] {
  const args: string[] = [];
  const virtiofs = spec.shares.filter((s) => s.transport === 'virtiofs');
  if (virtiofs.length) {
    args.push('-object', `memory-backend-memfd,id=mem,size=${spec.memoryMiB}M,share=on`, '-numa', 'node,memdev=mem');
  }
  virtiofs.forEach((share, i) => {
    if (!share.socket) throw new Error(`virtiofs share ${share.tag} has no virtiofsd socket`);
    args.push('-chardev', `socket,id=fs${i},path=${share.socket.replace(/,/g, ',,')}`);
    args.push('-device', `vhost-user-fs-pci,chardev=fs${i},tag=${share.tag}`);
  });
  for (const share of spec.shares) {
    if (share.transport === 'virtiofs') continue;
    // security_model=none writes real modes the host user can read; the guest's chown is ignored (non-root QEMU).
    // QEMU's option parser splits on commas; a literal one is doubled.
    args.push('-virtfs', `local,path=${share.path.replace(/,/g, ',,')},mount_tag=${share.tag},security_model=none,id=${share.tag}`);
  }
  return args;
}
