import type { LaunchCommand, Share, VfkitSpec } from './types';

/**
 * vfkit serves every share over Apple's virtio-fs: the shares as the guest's command line must name them
 * (`TAG:PATH:virtiofs`, so the guest mounts `-t virtiofs`), for kernelCmdline and for buildVfkitCommand alike.
 */
export function vfkitShares(shares: Share[]): Share[] {
  return shares.map(({ tag, path }) => ({ tag, path, transport: 'virtiofs' }));
}

/**
 * Apple Virtualization through vfkit. Networking is vfkit's NAT: the guest gets a 192.168.64.x lease from the
 * host's vmnet DHCP server (found by MAC in /var/db/dhcpd_leases), and SSH goes straight to it on port 22, so
 * there is no hostfwd as with QEMU.
 */
export function buildVfkitCommand(spec: VfkitSpec): LaunchCommand {
  const args = [
    '--cpus',
    String(spec.cpus),
    '--memory',
    String(spec.memoryMiB),
    '--bootloader',
    `linux,kernel=${spec.kernel},initrd=${spec.initrd},cmdline="${spec.cmdline.replace(/"/g, '\\"')}"`,
    '--device',
    `virtio-blk,path=${spec.rootfs}`,
    '--device',
    `virtio-blk,path=${spec.dataDisk}`,
    '--device',
    `virtio-net,nat,mac=${spec.mac}`,
    '--device',
    `virtio-serial,logFilePath=${spec.consoleLog}`,
    '--device',
    'virtio-rng',
  ];
  for (const share of spec.shares) args.push('--device', `virtio-fs,sharedDir=${share.path},mountTag=${share.tag}`);
  args.push('--restful-uri', `unix://${spec.restSocket}`);
  return { command: spec.vfkitBinary ?? 'vfkit', args };
}

/** A stable locally-administered MAC per VM, so the DHCP lease (and thus the SSH address) survives restarts. */
export function macFromSeed(seed: string): string {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  const bytes = [0x52, 0x54, (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff];
  // 0x52 has the locally-administered bit set and the multicast bit clear.
  return bytes.map((b) => b.toString(16).padStart(2, '0')).join(':');
}
