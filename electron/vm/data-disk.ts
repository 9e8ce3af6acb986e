import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import { BerthError } from '../base/errors';

const run = promisify(execFile);

export interface DiskResult {
  created: boolean;
  grownTo?: number;
  virtualGiB: number;
}

export async function virtualSize(file: string, qemuImg: string): Promise<number> {
  // -U: read the header even if a QEMU holds the image (an orphan we have not cleaned up yet must not make
  // this fail; we never write here in that case).
  const { stdout } = await run(qemuImg, ['info', '-U', '--output=json', file]);
  return (JSON.parse(stdout) as { 'virtual-size': number })['virtual-size'];
}

/**
 * The data disk holds /var/lib/docker: images, containers, volumes. Sparse qcow2 so 64 GiB costs nothing until
 * used. A larger diskGiB grows it (the guest grows the filesystem at boot); shrinking would destroy data, so a
 * smaller setting is ignored and reported.
 */
export async function ensureDataDisk(file: string, sizeGiB: number, qemuImg = 'qemu-img'): Promise<DiskResult> {
  const exists = await fs.stat(file).then(
    () => true,
    () => false,
  );
  try {
    if (!exists) {
      await run(qemuImg, ['create', '-q', '-f', 'qcow2', file, `${sizeGiB}G`]);
      await fs.chmod(file, 0o600);
      return { created: true, virtualGiB: sizeGiB };
    }
    const current = (await virtualSize(file, qemuImg)) / 2 ** 30;
    if (sizeGiB > current) {
      await run(qemuImg, ['resize', '-q', file, `${sizeGiB}G`]);
      return { created: false, grownTo: sizeGiB, virtualGiB: sizeGiB };
    }
    return { created: false, virtualGiB: current };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new BerthError('vm', `${qemuImg} is not installed`, 'Install QEMU (Debian: apt-get install qemu-utils).');
    }
    throw new BerthError('vm', `Could not prepare the data disk ${file}: ${(err as Error).message}`, 'Check free space and permissions in the Berth home.');
  }
}
