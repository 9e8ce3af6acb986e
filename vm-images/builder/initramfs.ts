import fs from 'node:fs/promises';
import path from 'node:path';
import { VM_IMAGES_DIR } from '../recipe';
import { writeCpio, type CpioEntry } from './cpio';
import { INITRAMFS_MODULES, moduleChain } from './modules';

/**
 * The initramfs: static busybox, the init script and the modules needed to mount the root image, flat in
 * /lib/modules with a load-order list. Uncompressed: the kernel would spend more time inflating it than
 * reading ~5 MB.
 */
export async function buildInitramfs(rootfs: string, kver: string, dest: string): Promise<string[]> {
  const order: string[] = [];
  for (const mod of INITRAMFS_MODULES) {
    for (const rel of await moduleChain(rootfs, kver, mod)) if (!order.includes(rel)) order.push(rel);
  }
  const modDir = path.join(rootfs, 'usr', 'lib', 'modules', kver);
  const entries: CpioEntry[] = [
    { kind: 'dir', path: 'bin' },
    { kind: 'dir', path: 'dev' },
    { kind: 'chardev', path: 'dev/console', major: 5, minor: 1 },
    { kind: 'dir', path: 'lib' },
    { kind: 'dir', path: 'lib/modules' },
    { kind: 'file', path: 'bin/busybox', data: await fs.readFile(path.join(rootfs, 'usr', 'bin', 'busybox')), mode: 0o755 },
    { kind: 'symlink', path: 'bin/sh', target: 'busybox' },
    { kind: 'file', path: 'init', data: await fs.readFile(path.join(VM_IMAGES_DIR, 'guest', 'initramfs', 'init')), mode: 0o755 },
  ];
  for (const rel of order) {
    entries.push({ kind: 'file', path: `lib/modules/${path.basename(rel)}`, data: await fs.readFile(path.join(modDir, rel)) });
  }
  const list = `${order.map((rel) => path.basename(rel)).join('\n')}\n`;
  entries.push({ kind: 'file', path: 'lib/modules/modules.list', data: Buffer.from(list) });
  await fs.writeFile(dest, writeCpio(entries));
  return order.map((rel) => path.basename(rel, '.ko'));
}
