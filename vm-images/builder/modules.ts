import fs from 'node:fs/promises';
import path from 'node:path';
import { chroot, run } from './run';

/**
 * Modules the initramfs loads to reach the root image, and nothing else: every insmod is TCG time before init.
 * ext4 (the data disk) and 9p or virtiofs (shares) load later in the root, in one modprobe each.
 */
export const INITRAMFS_MODULES = ['virtio_blk', 'virtio_pci', 'squashfs', 'overlay'];

/** Modules the running guest may load: its devices, the engine's networking and file systems. */
const ROOTFS_MODULES = [
  ...INITRAMFS_MODULES, 'ext4', '9p', '9pnet_virtio', 'virtiofs',
  'virtio_net', 'virtio_rng', 'virtio_console', 'virtio_balloon', 'evdev', 'button', 'fuse', 'tun', 'veth',
  'dummy', 'macvlan', 'ipvlan', 'vxlan', 'bridge', 'br_netfilter', 'nf_tables', 'nft_compat', 'ip_tables',
  'ip6_tables', 'iptable_filter', 'iptable_nat', 'iptable_mangle', 'iptable_raw', 'ip6table_filter',
  'ip6table_nat', 'ip6table_mangle', 'ip_vs', 'xfrm_user', 'sch_htb', 'cls_u32', 'sch_ingress',
  // The user's engine settings arrive as a QEMU fw_cfg file (vm-images/guest-contract.ts engineConfigArgs).
  'qemu_fw_cfg',
];
/** Whole directories of netfilter matches and targets: rule sets written by users reach for any of them. */
const ROOTFS_MODULE_DIRS = ['kernel/net/netfilter/', 'kernel/net/ipv4/netfilter/', 'kernel/net/ipv6/netfilter/',
  'kernel/net/bridge/'];

/**
 * Installs the subset of the kernel's modules the guest uses into the root file system, uncompressed (busybox
 * insmod reads plain .ko, and the guest should not spend TCG time on XZ), with a fresh modules.dep.
 */
export async function installModules(rootfs: string, kernelRoot: string, kver: string): Promise<void> {
  const src = path.join(kernelRoot, 'usr', 'lib', 'modules', kver);
  const dst = path.join(rootfs, 'usr', 'lib', 'modules', kver);
  await fs.rm(dst, { recursive: true, force: true });
  await fs.cp(src, dst, { recursive: true });
  await chroot(rootfs, ['depmod', kver]);

  const keep = new Set<string>();
  for (const mod of ROOTFS_MODULES) {
    // A module missing from a kernel build (or built in) is not an error: the guest simply cannot need it.
    const chain = await moduleChain(rootfs, kver, mod).catch(() => []);
    for (const f of chain) keep.add(f);
  }
  const all = await listFiles(path.join(dst, 'kernel'));
  for (const rel of all.map((f) => path.relative(dst, f))) {
    if (ROOTFS_MODULE_DIRS.some((d) => rel.startsWith(d))) keep.add(rel);
  }
  const deps = await readModulesDep(dst);
  for (const rel of [...keep]) for (const dep of deps.get(rel) ?? []) keep.add(dep);
  for (const file of all) {
    const rel = path.relative(dst, file);
    if (!keep.has(rel)) await fs.rm(file);
    else if (rel.endsWith('.xz')) await run('xz', ['-d', file]);
  }
  await removeEmptyDirs(path.join(dst, 'kernel'));
  await chroot(rootfs, ['depmod', kver]);
}

const SIGNATURE_MAGIC = Buffer.from('~Module signature appended~\n');

/**
 * Drops the signature Debian appends to each module for Secure Boot. Nothing boots this kernel through Secure
 * Boot (QEMU loads it directly), the kernel does not enforce signatures then, and checking one costs ~14 ms of
 * TCG time (RSA in the kernel's generic code): ~0.5 s for the ~35 modules a boot loads. The price is the
 * kernel's "unsigned module" taint flag (E), which changes no behaviour. Returns how many were stripped.
 */
export async function stripModuleSignatures(rootfs: string, kver: string): Promise<number> {
  let stripped = 0;
  for (const file of await listFiles(path.join(rootfs, 'usr', 'lib', 'modules', kver, 'kernel'))) {
    if (!file.endsWith('.ko')) continue;
    const ko = await fs.readFile(file);
    if (!ko.subarray(ko.length - SIGNATURE_MAGIC.length).equals(SIGNATURE_MAGIC)) continue;
    // The magic string follows a 12-byte struct module_signature whose last field is the big-endian length of
    // the PKCS#7 signature in front of it.
    const sigLength = ko.readUInt32BE(ko.length - SIGNATURE_MAGIC.length - 4);
    await fs.writeFile(file, ko.subarray(0, ko.length - SIGNATURE_MAGIC.length - 12 - sigLength));
    stripped++;
  }
  return stripped;
}

/** A module's files in load order (dependencies first), relative to /usr/lib/modules/<kver>; builtins skipped. */
export async function moduleChain(rootfs: string, kver: string, mod: string): Promise<string[]> {
  const out = await chroot(rootfs, ['modprobe', '-S', kver, '--show-depends', mod]);
  const prefix = `/lib/modules/${kver}/`;
  return out
    .split('\n')
    .filter((l) => l.startsWith('insmod '))
    .map((l) => l.slice('insmod '.length).trim().split(' ')[0])
    .map((p) => p.replace(/^\/usr/, ''))
    .map((p) => (p.startsWith(prefix) ? p.slice(prefix.length) : p));
}

async function readModulesDep(modDir: string): Promise<Map<string, string[]>> {
  const deps = new Map<string, string[]>();
  for (const line of (await fs.readFile(path.join(modDir, 'modules.dep'), 'utf8')).split('\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) deps.set(line.slice(0, colon), line.slice(colon + 1).trim().split(/\s+/).filter(Boolean));
  }
  return deps;
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

async function removeEmptyDirs(dir: string): Promise<boolean> {
  let empty = true;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    if (e.isDirectory() && (await removeEmptyDirs(path.join(dir, e.name)))) continue;
    empty = false;
  }
  if (empty) await fs.rmdir(dir);
  return empty;
}
