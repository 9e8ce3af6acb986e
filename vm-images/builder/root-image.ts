import { run } from './run';

/**
 * The read-only root image. squashfs with LZ4: about a third of the ext4 size and LZ4 is the cheapest
 * decompressor under TCG. No loop mounts, so the build needs no privileges beyond the chroot steps.
 */
export async function buildRootImage(rootfs: string, dest: string): Promise<void> {
  await run('mksquashfs', [rootfs, dest, '-comp', 'lz4', '-noappend', '-no-progress', '-quiet']);
}
