/**
 * The interface between the host's VM launcher and the Berth guest. Everything the host tells the guest goes on
 * the kernel command line; everything the guest tells the host comes back as tagged lines on the serial console.
 *
 * Devices (see qemuDiskArgs):
 *   - virtio-blk serial `berth-root`: the read-only root image (squashfs); first on the PCI bus, so /dev/vda.
 *   - virtio-blk serial `berth-data`: the user's data disk (qcow2), second, so /dev/vdb. The guest finds both by
 *     serial, not by order, and formats the data disk only when it holds no file system.
 *   - virtio-net on QEMU user networking (DHCP); shares as 9p (`-virtfs ...,mount_tag=TAG`) or virtiofs (a
 *     `vhost-user-fs-pci` device with `tag=TAG`, served by a virtiofsd on the host; vfkit's `virtio-fs`).
 *
 * The command line is readable by every container (/proc/cmdline), so it carries public values only.
 *
 * `berth.key` becomes /etc/berth/authorized_keys/root, the one file sshd reads keys from (AuthorizedKeysFile in
 * guest/rootfs/etc/ssh/sshd_config.d/berth.conf): nothing the guest needs lives under /root, so a share may be
 * mounted there (the host's home folder when Berth runs as root). `berth.shares` are mounted at their host paths.
 *
 * The user's engine settings (daemon.json additions) are too large and too private for the command line: they
 * travel as a QEMU fw_cfg file (engineConfigArgs), and `berth.engine_config=1` tells the guest to read it.
 */
import { archProfile } from './arch';
import type { GuestArch, GuestImage, ImageVariant } from './types';

/** In order up to `network`, then `engine` (the boot script); `sshd` comes from its own service and may swap with `engine`. */
export const BOOT_STAGES = [
  'kernel',
  'init',
  'modules',
  'data-disk',
  'shares',
  'network',
  'sshd',
  'engine',
  'engine-ready',
] as const satisfies readonly string[];

export type BootStage = (typeof BOOT_STAGES)[number];

export interface Share {
  /** 9p/virtiofs mount tag: at most 31 bytes, letters, digits, `._-`. */
  tag: string;
  /** Absolute host path; mounted at the same path in the guest. */
  path: string;
  /** How the host serves it; 9p when absent. */
  transport?: ShareTransport;
}

export type ShareTransport = '9p' | 'virtiofs';

const TAG_RE = /^[A-Za-z0-9._-]{1,31}$/;
const MIRROR_RE = /^https?:\/\/[A-Za-z0-9.:/_-]+$/;

export function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64').replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function kernelCmdline(opts: {
  arch: GuestArch;
  authorizedKey: string;
  shares?: Share[];
  /** A registry mirror for dockerd, e.g. `http://10.0.2.2:5000` in tests. */
  registryMirror?: string;
  variant?: ImageVariant;
  /** The user's engine settings come as a fw_cfg file (engineConfigArgs). */
  engineConfig?: boolean;
}): string {
  const key = opts.authorizedKey.trim();
  if (!/^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp\d+) [A-Za-z0-9+/=]+( .*)?$/.test(key)) {
    throw new Error('authorizedKey must be an OpenSSH public key line');
  }
  const parts = [
    `console=${archProfile(opts.arch).console}`,
    // Kernel chatter on a TCG serial port costs boot time and buries the berth-* lines.
    'quiet',
    'loglevel=3',
    // A guest that panics exits QEMU (with -no-reboot) instead of hanging.
    'panic=-1',
    // No kernel-memory or socket-memory accounting in container cgroups: the first container would otherwise flip
    // static keys inlined in kmalloc and the socket paths, and that live text patching races the other vCPU under
    // QEMU's multi-threaded TCG (an int3 oops, seen in ~1 of 4 guest test runs). Memory limits still cover user
    // memory and page cache.
    'cgroup.memory=nokmem,nosocket',
    `berth.key=${base64url(key.split(' ').slice(0, 2).join(' '))}`,
  ];
  if (opts.variant === 'systemd') parts.push('net.ifnames=0', 'systemd.show_status=0');
  if (opts.shares?.length) {
    for (const s of opts.shares) {
      if (!TAG_RE.test(s.tag)) throw new Error(`invalid 9p tag: ${s.tag}`);
      if (!s.path.startsWith('/')) throw new Error(`share path must be absolute: ${s.path}`);
    }
    // TAG:PATH for 9p, TAG:PATH:virtiofs for virtiofs; the path is URI-encoded, so it holds no `:` or `,`.
    const entry = (s: Share) => `${s.tag}:${encodeURIComponent(s.path)}${s.transport === 'virtiofs' ? ':virtiofs' : ''}`;
    parts.push(`berth.shares=${opts.shares.map(entry).join(',')}`);
  }
  if (opts.registryMirror) {
    if (!MIRROR_RE.test(opts.registryMirror)) throw new Error(`invalid registry mirror: ${opts.registryMirror}`);
    parts.push(`berth.mirror=${opts.registryMirror}`);
  }
  if (opts.engineConfig) parts.push('berth.engine_config=1');
  const line = parts.join(' ');
  // x86's COMMAND_LINE_SIZE; arm64 allows more, but one contract for both.
  if (line.length > 2047) throw new Error(`kernel command line too long (${line.length} bytes)`);
  return line;
}

export type ConsoleEvent =
  | { kind: 'stage'; stage: string }
  | { kind: 'hostkey'; key: string }
  | { kind: 'error'; message: string }
  | { kind: 'poweroff' };

// Anchored at the tag but not at line start: kernel messages on the same port can share a line.
const LINE_RE = /berth-(stage|hostkey|error|poweroff):\s?(.*)$/;

export function parseConsoleLine(line: string): ConsoleEvent | null {
  const m = LINE_RE.exec(line.replace(/\r/g, '').trimEnd());
  if (!m) return null;
  const [, kind, rest] = m;
  switch (kind) {
    case 'stage':
      return rest ? { kind: 'stage', stage: rest.trim() } : null;
    case 'hostkey': {
      const key = rest.trim().split(/\s+/).slice(0, 2).join(' ');
      return /^ssh-ed25519 AAAA[A-Za-z0-9+/=]+$/.test(key) ? { kind: 'hostkey', key } : null;
    }
    case 'error':
      return { kind: 'error', message: rest.trim() };
    default:
      return { kind: 'poweroff' };
  }
}

/** QEMU's option parser splits on commas; a literal comma is written twice. */
function qemuEscape(value: string): string {
  return value.replace(/,/g, ',,');
}

/** Root image read-only, then the data disk; serials let the guest tell them apart whatever the bus order. */
export function qemuDiskArgs(opts: { image: GuestImage; dataDisk: string }): string[] {
  const dataFormat = opts.dataDisk.endsWith('.raw') || opts.dataDisk.endsWith('.img') ? 'raw' : 'qcow2';
  return [
    '-drive', `if=none,id=berth-root,file=${qemuEscape(opts.image.rootfs)},format=raw,readonly=on`,
    '-device', 'virtio-blk-pci,drive=berth-root,serial=berth-root',
    // writeback (not unsafe): the guest's flushes reach the host disk, so a host crash cannot corrupt ext4.
    '-drive', `if=none,id=berth-data,file=${qemuEscape(opts.dataDisk)},format=${dataFormat},cache=writeback,discard=unmap`,
    '-device', 'virtio-blk-pci,drive=berth-data,serial=berth-data',
  ];
}

/** Arguments for a 9p share; the tag is what kernelCmdline names in `berth.shares`. */
export function qemuShareArgs(share: Share): string[] {
  return ['-virtfs', `local,path=${qemuEscape(share.path)},mount_tag=${share.tag},security_model=none`];
}

/** What the guest's daemon.json always allows: the host's local registry (tests, `docker push` from the host). */
export const GUEST_INSECURE_REGISTRIES = ['10.0.2.2:5000'];
/** The fw_cfg name the guest reads the engine settings from (/sys/firmware/qemu_fw_cfg/by_name/<name>/raw). */
export const ENGINE_CONFIG_FW_CFG = 'opt/berth/daemon.json';

/**
 * The user's engine settings as the guest splices them into its daemon.json: one line, one JSON object. The
 * lists the guest also sets (insecure registries, mirrors) and its log level are merged in here, so the guest
 * writes each key once (dockerd refuses a daemon.json it cannot read unambiguously) and needs no JSON tool.
 * The keys the guest owns (hosts, containerd, ...) were refused before this, by the host's settings check.
 */
export function engineConfigJson(user: Record<string, unknown>, opts: { registryMirror?: string } = {}): string {
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);
  const merged: Record<string, unknown> = {
    'log-level': 'warn',
    ...user,
    'insecure-registries': [...new Set([...GUEST_INSECURE_REGISTRIES, ...list(user['insecure-registries'])])],
    'registry-mirrors': [...new Set([...(opts.registryMirror ? [opts.registryMirror] : []), ...list(user['registry-mirrors'])])],
  };
  return JSON.stringify(merged);
}

/**
 * fw_cfg, not SSH: the file is in the guest before dockerd starts, so the settings cost no dockerd restart
 * (~10 s under TCG) and no boot time (the guest loads qemu_fw_cfg in the background, only when told to).
 */
export function engineConfigArgs(file: string): string[] {
  return ['-fw_cfg', `name=${ENGINE_CONFIG_FW_CFG},file=${qemuEscape(file)}`];
}
