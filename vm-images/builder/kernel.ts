import fs from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import type { GuestArch } from '../types';
import { run, runLenient } from './run';

const DECOMPRESSORS = [
  { magic: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), cmd: ['zstd', '-dcq'] },
  { magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), cmd: ['xz', '-dcq'] },
  { magic: Buffer.from([0x1f, 0x8b]), cmd: ['gzip', '-dcq'] },
];
const ELF_MAGIC = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);

export interface UnpackedKernel {
  version: string;
  packageVersion: string;
  /** The unpacked .deb: boot/ and usr/lib/modules/<version>/. */
  root: string;
  vmlinuz: string;
}

export async function unpackKernelDeb(debDir: string, dest: string): Promise<UnpackedKernel> {
  const debs = (await fs.readdir(debDir)).filter((f) => f.endsWith('.deb'));
  if (debs.length !== 1) throw new Error(`expected one kernel package in ${debDir}, found ${debs.join(', ')}`);
  const deb = path.join(debDir, debs[0]);
  await run('dpkg-deb', ['-x', deb, dest]);
  const packageVersion = (await run('dpkg-deb', ['-f', deb, 'Version'])).toString().trim();
  const vmlinuzName = (await fs.readdir(path.join(dest, 'boot'))).find((f) => f.startsWith('vmlinuz-'));
  if (!vmlinuzName) throw new Error('kernel package has no /boot/vmlinuz-*');
  return {
    version: vmlinuzName.slice('vmlinuz-'.length),
    packageVersion,
    root: dest,
    vmlinuz: path.join(dest, 'boot', vmlinuzName),
  };
}

/**
 * The kernel QEMU loads. On x86 the ELF vmlinux inside the bzImage: QEMU boots it through PVH and skips the
 * in-guest XZ decompression that costs ~4 s under TCG. On arm64, Debian's vmlinuz is a gzipped Image that
 * QEMU's virt machine boots once unzipped.
 */
export async function extractBootableKernel(arch: GuestArch, vmlinuz: string, dest: string): Promise<void> {
  const image = await fs.readFile(vmlinuz);
  if (arch === 'arm64') {
    await fs.writeFile(dest, image[0] === 0x1f && image[1] === 0x8b ? zlib.gunzipSync(image) : image);
    return;
  }
  // The bzImage setup header locates the compressed payload: (setup_sects + 1) * 512 plus payload_offset.
  const setupSects = image[0x1f1] || 4;
  const payloadStart = (setupSects + 1) * 512 + image.readUInt32LE(0x248);
  const payload = image.subarray(payloadStart, payloadStart + image.readUInt32LE(0x24c));
  const decompressor = DECOMPRESSORS.find((d) => payload.subarray(0, d.magic.length).equals(d.magic));
  if (!decompressor) throw new Error(`unknown kernel payload compression in ${vmlinuz}`);
  // The payload ends with the decompressed size, which the tools report as trailing garbage after the output.
  const elf = await runLenient(decompressor.cmd[0], decompressor.cmd.slice(1), payload);
  if (elf.subarray(0, 4).equals(ELF_MAGIC)) {
    await fs.writeFile(dest, elf);
    return;
  }
  throw new Error(`the ${decompressor.cmd[0]} payload of ${vmlinuz} is not an ELF vmlinux`);
}
