import type { GuestImage } from '../../vm-images/types';
import type { GuestArch, Share } from './hypervisor/types';

export type { GuestImage };

/** What the guest prints on its serial console that the host acts on (vm-images' guest contract). */
export type ConsoleEvent =
  | { kind: 'stage'; stage: string }
  | { kind: 'hostkey'; key: string }
  | { kind: 'error'; message: string }
  | { kind: 'poweroff' };

/**
 * The guest image and its console protocol, as the VM needs them. Injected so the lifecycle code does not
 * depend on how images are built, and so another image (or distro) can be swapped in.
 */
export interface GuestProvider {
  /** imageUrl: the user's release folder to download from when the image is neither bundled nor cached. */
  ensureImage(opts: { arch: GuestArch; imageUrl?: string; onProgress?: (stage: string, detail?: string) => void }): Promise<GuestImage>;
  /** True when ensureImage would have to build the image on this host (so its build tools are needed). */
  needsLocalBuild(opts: { arch: GuestArch; imageUrl?: string }): Promise<boolean>;
  bootStages: readonly string[];
  /** engineConfig: the user's engine settings are sent (engineConfigArgs) and the guest should read them. */
  kernelCmdline(opts: { arch: GuestArch; authorizedKey: string; shares?: Share[]; engineConfig?: boolean }): string;
  /** The user's engine settings (daemon.json additions) as the file the guest reads, Berth's own values merged. */
  engineConfigJson(user: Record<string, unknown>): string;
  /** QEMU arguments that hand that file to the guest. */
  engineConfigArgs(file: string): string[];
  parseConsoleLine(line: string): ConsoleEvent | null;
  qemuDiskArgs(opts: { image: GuestImage; dataDisk: string }): string[];
}
