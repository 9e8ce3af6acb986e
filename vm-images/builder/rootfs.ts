import fs from 'node:fs/promises';
import path from 'node:path';
import { MIRROR, SUITE, VM_IMAGES_DIR, packagesFor } from '../recipe';
import type { ArchProfile } from '../arch';
import type { ImageVariant } from '../types';
import { chroot, run } from './run';

// Documentation, manuals and translations are a third of a minimal Debian and nothing in the VM reads them.
// Copyright files stay: they are the licence notices of what we redistribute.
const EXCLUDES = ['/usr/share/doc/*', '/usr/share/man/*', '/usr/share/info/*', '/usr/share/locale/*',
  '/usr/share/lintian/*', '/usr/share/bash-completion/*', '/usr/share/zsh/*', '/usr/share/fish/*'];

/**
 * Debootstraps the root file system with mmdebstrap and downloads (but does not install) the kernel package:
 * installing it would pull initramfs-tools and build an initramfs we do not use.
 */
export async function bootstrapRootfs(opts: { profile: ArchProfile; variant: ImageVariant; rootfs: string;
  kernelDebDir: string }): Promise<void> {
  const { profile, variant, rootfs, kernelDebDir } = opts;
  const dpkgOpts = EXCLUDES.flatMap((p) => ['--dpkgopt', `path-exclude=${p}`]);
  dpkgOpts.push('--dpkgopt', 'path-include=/usr/share/doc/*/copyright');
  const downloadKernel = [
    `cd '${kernelDebDir}'`,
    'export APT_CONFIG="$MMDEBSTRAP_APT_CONFIG"',
    `pkg=$(apt-cache depends ${profile.kernelPackage} | awk '/Depends: linux-image-/{print $2; exit}')`,
    'apt-get download "$pkg"',
  ].join(' && ');
  await run('mmdebstrap', [
    '--quiet',
    '--variant=essential',
    `--architectures=${profile.debianArch}`,
    `--include=${packagesFor(variant).join(',')}`,
    ...dpkgOpts,
    `--customize-hook=${downloadKernel}`,
    SUITE,
    rootfs,
    MIRROR,
  ]);
}

/** Puts the guest scripts in place and strips everything that would be a per-image secret or dead weight. */
export async function customizeRootfs(rootfs: string, variant: ImageVariant): Promise<void> {
  await fs.cp(path.join(VM_IMAGES_DIR, 'guest', 'rootfs'), rootfs, { recursive: true });
  if (variant === 'systemd') {
    await fs.cp(path.join(VM_IMAGES_DIR, 'guest', 'systemd'), rootfs, { recursive: true });
  }
  await linkBusyboxApplets(rootfs);
  // Legacy iptables sets up dockerd's bridge rules about a second faster than the nft backend under TCG.
  for (const tool of ['iptables', 'ip6tables']) {
    await chroot(rootfs, ['update-alternatives', '--set', tool, `/usr/sbin/${tool}-legacy`]);
  }
  if (variant === 'berth') {
    await fs.rm(path.join(rootfs, 'sbin', 'init'), { force: true });
    await fs.symlink('/usr/bin/busybox', path.join(rootfs, 'usr', 'sbin', 'init'));
  } else {
    await chroot(rootfs, ['systemctl', 'enable', 'berth-setup.service', 'systemd-networkd.service']);
  }
  // Host keys are made on first boot onto the data disk; baked ones would be shared by every install.
  for (const f of await fs.readdir(path.join(rootfs, 'etc', 'ssh'))) {
    if (f.startsWith('ssh_host_')) await fs.rm(path.join(rootfs, 'etc', 'ssh', f));
  }
  await fs.rm(path.join(rootfs, 'etc', 'machine-id'), { force: true });
  await fs.rm(path.join(rootfs, 'var', 'lib', 'dbus', 'machine-id'), { force: true });
  if (variant === 'systemd') {
    // An empty machine-id makes systemd use a transient one without running first-boot units.
    await fs.writeFile(path.join(rootfs, 'etc', 'machine-id'), '');
  }
  // The root password stays locked: root logs in by key only. Root's home is not /root: when Berth runs as root
  // the host's /root is shared there, and every SSH exec would run the host's ~/.bashrc (pyenv's rehash alone
  // waits 60 s for a lock). /run/berth/root is made at boot (tmpfs, writable on a read-only image).
  const passwdFile = path.join(rootfs, 'etc', 'passwd');
  const passwd = await fs.readFile(passwdFile, 'utf8');
  const moved = passwd.replace(/^root:([^:]*):0:0:([^:]*):\/root:/m, 'root:$1:0:0:$2:/run/berth/root:');
  if (moved === passwd) throw new Error('guest image: root is not in /etc/passwd with home /root');
  await fs.writeFile(passwdFile, moved);
  for (const dir of ['var/cache/apt', 'var/lib/apt/lists', 'var/log', 'boot']) {
    await fs.rm(path.join(rootfs, dir), { recursive: true, force: true });
    await fs.mkdir(path.join(rootfs, dir), { recursive: true });
  }
  // Mount points the init needs; the root image is read-only, so they must exist in it.
  for (const dir of ['mnt/data', 'proc', 'sys', 'dev', 'run', 'tmp', 'var/lib/docker', 'var/lib/containerd']) {
    await fs.mkdir(path.join(rootfs, dir), { recursive: true });
  }
  for (const dir of ['proc', 'sys', 'dev', 'run', 'tmp']) {
    for (const f of await fs.readdir(path.join(rootfs, dir))) await fs.rm(path.join(rootfs, dir, f), { recursive: true, force: true });
  }
}

/** Debian's busybox-static has no applet links; the guest scripts call applets by name from a private dir. */
async function linkBusyboxApplets(rootfs: string): Promise<void> {
  const list = await chroot(rootfs, ['/usr/bin/busybox', '--list']);
  const dir = path.join(rootfs, 'usr', 'lib', 'berth', 'bin');
  await fs.mkdir(dir, { recursive: true });
  for (const applet of list.split('\n').map((s) => s.trim())) {
    if (!applet || applet === 'busybox' || applet.includes('/')) continue;
    await fs.symlink('/usr/bin/busybox', path.join(dir, applet));
  }
}

export async function packageVersions(rootfs: string, names: string[]): Promise<Record<string, string>> {
  const out = await chroot(rootfs, ['dpkg-query', '-W', '-f', '${Package}\t${Version}\n', ...names]);
  const versions: Record<string, string> = {};
  for (const line of out.trim().split('\n')) {
    const [name, version] = line.split('\t');
    if (name) versions[name] = version ?? '';
  }
  return versions;
}
