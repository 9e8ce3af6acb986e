import { BerthError } from '../base/errors';

/**
 * Every program Berth needs from the host, in one place: what it is for, how to find it, and which package
 * provides it on each platform. The checks (check.ts), the installer (fix.ts) and `berth doctor` all read this.
 */

/** Why a prerequisite is needed: to run the VM, to build the guest image locally, or for the test suites. */
export type Purpose = 'run' | 'image-build' | 'test';
export const PURPOSES: readonly Purpose[] = ['run', 'image-build', 'test'];

export interface Packages {
  /** Debian/Ubuntu package names. Several are alternatives: the first the archive offers is installed. */
  apt?: string[];
  /** Homebrew formula. */
  brew?: string;
  /** winget package id. */
  winget?: string;
}

export type Detection =
  /** Every named executable must be on PATH. `alsoAt` lists absolute paths tried after PATH. */
  | { kind: 'commands'; names: string[]; alsoAt?: string[]; envOverride?: string }
  /** apt's package lists exist (needed by `apt-get download`, which the tests use). */
  | { kind: 'apt-lists' };

export interface Prerequisite {
  /** The name people know it by: the main executable, or a short name for non-programs. */
  id: string;
  purpose: Purpose;
  /** What Berth uses it for, in a few words. */
  usedFor: string;
  detect: Detection;
  packages: Packages;
  /** The platforms that need it; every platform when absent. */
  platforms?: NodeJS.Platform[];
  /** apt: install without Recommends (Debian's docker.io would otherwise bring a whole engine along). */
  noRecommends?: boolean;
}

export interface HostIdentity {
  platform: NodeJS.Platform;
  /** process.arch of the host; the guest has the same architecture. */
  arch: string;
}

const QEMU_PACKAGES = { brew: 'qemu', winget: 'SoftwareFreedomConservancy.QEMU' } as const;

/** The guest runs the host's architecture (no cross-architecture emulation: it would be far too slow). */
function qemuFor(arch: string): { binary: string; apt: string; guest: string } {
  return arch === 'arm64'
    ? { binary: 'qemu-system-aarch64', apt: 'qemu-system-arm', guest: 'arm64' }
    : { binary: 'qemu-system-x86_64', apt: 'qemu-system-x86', guest: 'amd64' };
}

/** The prerequisites of this host, for every purpose. */
export function hostPrerequisites(host: HostIdentity): Prerequisite[] {
  const qemu = qemuFor(host.arch);
  const all: Prerequisite[] = [
    {
      id: qemu.binary,
      purpose: 'run',
      usedFor: `runs the VM (the emulator for ${qemu.guest} guests)`,
      detect: { kind: 'commands', names: [qemu.binary] },
      packages: { apt: [qemu.apt], ...QEMU_PACKAGES },
    },
    {
      id: 'qemu-img',
      purpose: 'run',
      usedFor: "creates and grows the VM's data disk",
      detect: { kind: 'commands', names: ['qemu-img'] },
      packages: { apt: ['qemu-utils'], ...QEMU_PACKAGES },
    },

    // What vm-images/builder spawns on the host. The build is Linux-only (mmdebstrap, chroot); other hosts use
    // a released image. chroot itself is coreutils, always present.
    {
      id: 'mmdebstrap',
      purpose: 'image-build',
      usedFor: "builds the guest's Debian root filesystem",
      detect: { kind: 'commands', names: ['mmdebstrap'] },
      packages: { apt: ['mmdebstrap'] },
      platforms: ['linux'],
    },
    {
      id: 'mksquashfs',
      purpose: 'image-build',
      usedFor: "packs the guest's root image",
      detect: { kind: 'commands', names: ['mksquashfs'] },
      packages: { apt: ['squashfs-tools'] },
      platforms: ['linux'],
    },
    {
      id: 'xz',
      purpose: 'image-build',
      usedFor: 'decompresses the guest kernel and its modules',
      detect: { kind: 'commands', names: ['xz'] },
      packages: { apt: ['xz-utils'] },
      platforms: ['linux'],
    },
    {
      id: 'zstd',
      purpose: 'image-build',
      usedFor: 'decompresses the guest kernel (Debian trixie packs it with zstd)',
      detect: { kind: 'commands', names: ['zstd'] },
      packages: { apt: ['zstd'] },
      platforms: ['linux'],
    },
    {
      id: 'dpkg-deb',
      purpose: 'image-build',
      usedFor: "unpacks the guest kernel's package",
      detect: { kind: 'commands', names: ['dpkg-deb'] },
      packages: { apt: ['dpkg'] },
      platforms: ['linux'],
    },

    {
      id: 'chromium',
      purpose: 'test',
      usedFor: 'runs the end-to-end tests of the UI (browser mode)',
      detect: {
        kind: 'commands',
        names: ['chromium'],
        alsoAt: ['/usr/bin/chromium'],
        envOverride: 'BERTH_CHROMIUM',
      },
      packages: { apt: ['chromium'] },
      platforms: ['linux'],
    },
    {
      id: 'docker-registry',
      purpose: 'test',
      usedFor: 'a local registry the tests pull from (Docker Hub is out of reach in CI)',
      detect: { kind: 'commands', names: ['docker-registry'] },
      packages: { apt: ['docker-registry'] },
      platforms: ['linux'],
    },
    {
      id: 'ssh',
      purpose: 'test',
      usedFor: "the port-forwarding benchmark's baseline; ssh-keygen for the image tests",
      detect: { kind: 'commands', names: ['ssh', 'ssh-keygen'] },
      packages: { apt: ['openssh-client'] },
    },
    {
      id: 'unsquashfs',
      purpose: 'test',
      usedFor: 'reads files back out of the built root image',
      detect: { kind: 'commands', names: ['unsquashfs'] },
      packages: { apt: ['squashfs-tools'] },
      platforms: ['linux'],
    },
    {
      id: 'docker',
      purpose: 'test',
      usedFor: 'the docker CLI the engine and end-to-end tests drive',
      detect: { kind: 'commands', names: ['docker'] },
      // Debian splits the CLI into docker-cli from trixie on; bookworm ships it inside docker.io.
      packages: { apt: ['docker-cli', 'docker.io'], brew: 'docker' },
      noRecommends: true,
    },
    {
      id: 'apt-lists',
      purpose: 'test',
      usedFor: "apt's package lists, for `apt-get download busybox-static` (the test images' only binary)",
      detect: { kind: 'apt-lists' },
      packages: {},
      platforms: ['linux'],
    },
  ];
  return all.filter((p) => !p.platforms || p.platforms.includes(host.platform));
}

/** `run` everywhere; Linux also builds the guest image locally. */
export function defaultPurposes(platform: NodeJS.Platform): Purpose[] {
  return platform === 'linux' ? ['run', 'image-build'] : ['run'];
}

/** Parses `run,image-build,test`; throws on an unknown name so a typo is not silently ignored. */
export function parsePurposes(list: string): Purpose[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !PURPOSES.includes(n as Purpose));
  if (unknown.length || !names.length) {
    throw new BerthError(
      'bad-request',
      `Unknown purpose "${unknown.join(',') || list}"`,
      `Use a comma list of: ${PURPOSES.join(', ')}.`,
    );
  }
  return names as Purpose[];
}
