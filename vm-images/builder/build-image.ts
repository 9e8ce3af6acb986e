import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { archProfile } from '../arch';
import { MIRROR, SUITE, packagesFor } from '../recipe';
import type { GuestArch, ImageVariant, ProgressFn } from '../types';
import { buildInitramfs } from './initramfs';
import { extractBootableKernel, unpackKernelDeb } from './kernel';
import { installModules, stripModuleSignatures } from './modules';
import { buildRootImage } from './root-image';
import { customizeRootfs, bootstrapRootfs, packageVersions } from './rootfs';

export const ARTIFACTS = { kernel: 'kernel', initrd: 'initrd.cpio', rootfs: 'root.squashfs' } as const;

export interface Manifest {
  hash: string;
  arch: GuestArch;
  variant: ImageVariant;
  suite: string;
  mirror: string;
  builtAt: string;
  buildSeconds: number;
  kernel: { version: string; package: string; packageVersion: string; format: string };
  packages: Record<string, string>;
  initramfsModules: string[];
  rootfsType: 'squashfs';
  artifacts: Record<string, { file: string; bytes: number; sha256: string }>;
}

/** Builds every artifact of one image into `outDir` (a private temp dir the caller publishes atomically). */
export async function buildImage(opts: { arch: GuestArch; variant: ImageVariant; hash: string; outDir: string;
  onProgress: ProgressFn }): Promise<Manifest> {
  const { arch, variant, hash, outDir, onProgress } = opts;
  const started = Date.now();
  const profile = archProfile(arch);
  const work = path.join(outDir, 'work');
  const rootfs = path.join(work, 'rootfs');
  const debDir = path.join(work, 'debs');
  await fs.mkdir(debDir, { recursive: true });

  onProgress('bootstrap', `mmdebstrap ${SUITE} ${arch} (${packagesFor(variant).length} packages)`);
  await bootstrapRootfs({ profile, variant, rootfs, kernelDebDir: debDir });

  onProgress('kernel', 'unpacking the kernel package');
  const kernel = await unpackKernelDeb(debDir, path.join(work, 'kernel'));
  // The conventional comparison image boots the compressed kernel as distributions do.
  if (variant === 'berth') await extractBootableKernel(arch, kernel.vmlinuz, path.join(outDir, ARTIFACTS.kernel));
  else await fs.copyFile(kernel.vmlinuz, path.join(outDir, ARTIFACTS.kernel));

  onProgress('modules', `installing the guest's modules for ${kernel.version}`);
  await installModules(rootfs, kernel.root, kernel.version);
  // The conventional image keeps the distribution's signed modules.
  if (variant === 'berth') {
    const stripped = await stripModuleSignatures(rootfs, kernel.version);
    onProgress('modules', `dropped the Secure Boot signatures of ${stripped} modules`);
  }

  onProgress('customize', 'guest scripts, no host keys, no machine-id');
  await customizeRootfs(rootfs, variant);
  const packages = await packageVersions(rootfs, [...packagesFor(variant), 'busybox-static']);
  // What the answers the guest keeps for runc depend on (guest/rootfs/usr/lib/berth/dockerd-path/runc).
  const runcKey = `runc-${packages.runc}_linux-${kernel.packageVersion}`.replace(/[^A-Za-z0-9.+-]/g, '_');
  await fs.writeFile(path.join(rootfs, 'usr', 'lib', 'berth', 'runc-answers-key'), `${runcKey}\n`);

  onProgress('initramfs', 'busybox + modules');
  const initramfsModules = await buildInitramfs(rootfs, kernel.version, path.join(outDir, ARTIFACTS.initrd));

  onProgress('root-image', 'mksquashfs');
  await buildRootImage(rootfs, path.join(outDir, ARTIFACTS.rootfs));
  await fs.rm(work, { recursive: true, force: true });

  onProgress('manifest');
  const artifacts: Manifest['artifacts'] = {};
  for (const [name, file] of Object.entries(ARTIFACTS)) {
    const p = path.join(outDir, file);
    artifacts[name] = { file, bytes: (await fs.stat(p)).size, sha256: await sha256File(p) };
  }
  const manifest: Manifest = {
    hash,
    arch,
    variant,
    suite: SUITE,
    mirror: MIRROR,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round((Date.now() - started) / 100) / 10,
    kernel: {
      version: kernel.version,
      package: `linux-image-${kernel.version}`,
      packageVersion: kernel.packageVersion,
      format: variant === 'berth' && arch === 'amd64' ? 'elf-vmlinux (PVH)' : 'vmlinuz',
    },
    packages,
    initramfsModules,
    rootfsType: 'squashfs',
    artifacts,
  };
  await fs.writeFile(path.join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function sha256File(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = crypto.createHash('sha256');
    createReadStream(file).on('data', (d) => h.update(d)).on('error', reject).on('end', () => resolve(h.digest('hex')));
  });
}
