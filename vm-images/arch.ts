import type { GuestArch } from './types';

/** What differs between guest architectures: Debian names, the QEMU binary and the serial console. */
export interface ArchProfile {
  arch: GuestArch;
  debianArch: string;
  kernelPackage: string;
  qemuBinary: string;
  /** Serial console device name in the guest: the 16550 UART on x86, the PL011 on arm64's virt machine. */
  console: string;
  /** Machine and CPU arguments that work under TCG. */
  machineArgs: string[];
}

const PROFILES: Record<GuestArch, ArchProfile> = {
  amd64: {
    arch: 'amd64',
    debianArch: 'amd64',
    kernelPackage: 'linux-image-amd64',
    qemuBinary: 'qemu-system-x86_64',
    console: 'ttyS0',
    machineArgs: ['-machine', 'q35', '-cpu', 'max'],
  },
  arm64: {
    arch: 'arm64',
    debianArch: 'arm64',
    kernelPackage: 'linux-image-arm64',
    qemuBinary: 'qemu-system-aarch64',
    console: 'ttyAMA0',
    machineArgs: ['-machine', 'virt', '-cpu', 'max'],
  },
};

export function archProfile(arch: GuestArch): ArchProfile {
  return PROFILES[arch];
}
