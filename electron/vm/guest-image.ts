import { BerthError, type ErrorCode } from '../base/errors';
import { ensureImage, imageNeedsBuild, ImageReleaseError, type ImageErrorKind } from '../../vm-images/index';
import { BOOT_STAGES, engineConfigArgs, engineConfigJson, kernelCmdline, parseConsoleLine, qemuDiskArgs } from '../../vm-images/guest-contract';
import type { GuestProvider } from './guest';

const CODES: Record<ImageErrorKind, ErrorCode> = {
  download: 'unavailable',
  unavailable: 'unavailable',
  corrupt: 'vm',
  'bad-release': 'vm',
  mismatch: 'vm',
};

/** The Berth guest image from vm-images: bundled, cached, downloaded or built, cached per recipe hash. */
export function berthGuest(opts: { registryMirror?: string } = {}): GuestProvider {
  return {
    ensureImage: (o) =>
      ensureImage({ arch: o.arch, variant: 'berth', imageUrl: o.imageUrl, onProgress: o.onProgress }).catch((err: unknown) => {
        // vm-images stands alone; its errors become the agent's typed errors here, hint and all.
        if (err instanceof ImageReleaseError) throw new BerthError(CODES[err.kind], `Guest image: ${err.message}`, err.hint);
        throw err;
      }),
    needsLocalBuild: (o) => imageNeedsBuild({ arch: o.arch, variant: 'berth', imageUrl: o.imageUrl }),
    bootStages: BOOT_STAGES,
    kernelCmdline: (o) => kernelCmdline({ ...o, registryMirror: opts.registryMirror }),
    engineConfigJson: (user) => engineConfigJson(user, { registryMirror: opts.registryMirror }),
    engineConfigArgs,
    parseConsoleLine,
    qemuDiskArgs,
  };
}
