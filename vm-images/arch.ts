import type { GuestArch } from './types';

/** What differs between guest architectures: Debian names, the QEMU binary and the serial console. */
export interface ArchProfile {
  arch: GuestArch;
  debianArch: string;
  kernelPackage: string;
  qemuBinary: string;
  /** Serial console device name in the guest: the 16550 UART on x86, the PL011 on arm64's virt machine. */
  console: string;
  /** The QEMU machine type. */
  machine: string;
  /** The CPU model under TCG (the product's launcher and the tests use the same one). */
  tcgCpu: string;
}

// QEMU's `max` with ERMS and FSRM hidden. With them the guest kernel copies and clears memory with `rep movsb`,
// which TCG emulates one byte per iteration: reading dockerd's 94 MB binary in from the root image cost ~3 s of
// guest CPU, ~0.8 s without them. Everything else `max` offers stays (x86-64-v3 images keep working).
const X86_TCG_CPU = 'max,-erms,-fsrm';

const PROFILES: Record<GuestArch, ArchProfile> = {
  amd64: {
    arch: 'amd64',
    debianArch: 'amd64',
    kernelPackage: 'linux-image-amd64',
    qemuBinary: 'qemu-system-x86_64',
    console: 'ttyS0',
    machine: 'q35',
    tcgCpu: X86_TCG_CPU,
  },
  arm64: {
    arch: 'arm64',
    debianArch: 'arm64',
    kernelPackage: 'linux-image-arm64',
    qemuBinary: 'qemu-system-aarch64',
    console: 'ttyAMA0',
    machine: 'virt',
    tcgCpu: 'max',
  },
};

export function archProfile(arch: GuestArch): ArchProfile {
  return PROFILES[arch];
}
