import { ensureImage } from '../../vm-images/index';
import { BOOT_STAGES, kernelCmdline, parseConsoleLine, qemuDiskArgs } from '../../vm-images/guest-contract';
import type { GuestProvider } from './guest';

/** The Berth guest image from vm-images: built on first use, cached per recipe hash. */
export function berthGuest(opts: { registryMirror?: string } = {}): GuestProvider {
  return {
    ensureImage: (o) => ensureImage({ arch: o.arch, variant: 'berth', onProgress: o.onProgress }),
    bootStages: BOOT_STAGES,
    kernelCmdline: (o) => kernelCmdline({ ...o, registryMirror: opts.registryMirror }),
    parseConsoleLine,
    qemuDiskArgs,
  };
}
