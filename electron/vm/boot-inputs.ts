import { statSync } from 'node:fs';
import type { Settings } from '../contract/settings';
import { requirePrerequisites } from '../host/check';
import { resolveShares } from '../shares/shares';
import { ensureDataDisk } from './data-disk';
import { prepareEngineConfig } from './engine-config-file';
import type { GuestImage, GuestProvider } from './guest';
import { buildQemuCommand, type Accel, type GuestArch, type Share } from './hypervisor';

/** Everything a boot attempt needs that does not change between attempts (accelerators, ports and virtiofsds do). */
export interface BootInputs {
  settings: Settings;
  image: GuestImage;
  authorizedKey: string;
  /** The folders to share, before each attempt decides virtiofs or 9p. */
  shares: Share[];
  engineConfig: { qemuArgs: string[] } | null;
}

export interface BootInputsOptions {
  guest: GuestProvider;
  arch: GuestArch;
  settings: Settings;
  vmDir: string;
  dataDisk: string;
  authorizedKey: () => Promise<string>;
  progress: (stage: string, detail?: string) => void;
  /** A line for the console log (a shared folder skipped, and why). */
  mark: (line: string) => void;
}

/** Before anything is made: a missing QEMU (or image-build tool) is named with the command that installs it. */
export async function requireBootTools(
  guest: GuestProvider,
  arch: GuestArch,
  settings: Settings,
): Promise<void> {
  const buildHere = await guest.needsLocalBuild({ arch, imageUrl: settings.imageUrl || undefined });
  requirePrerequisites(buildHere ? ['run', 'image-build'] : ['run']);
}

/** The guest image (fetched or built when missing), the data disk, the key, the shares and the engine's config. */
export async function prepareBootInputs(o: BootInputsOptions): Promise<BootInputs> {
  const { guest, arch, settings } = o;
  o.progress('image', 'checking the guest image');
  const image = await guest.ensureImage({
    arch,
    imageUrl: settings.imageUrl || undefined,
    onProgress: (stage, detail) => o.progress('image', detail ? `${stage}: ${detail}` : stage),
  });
  o.progress('disk');
  await ensureDataDisk(o.dataDisk, settings.diskGiB);
  const authorizedKey = await o.authorizedKey();
  const { shares, skipped } = resolveShares(
    settings.shares,
    (p) => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false,
  );
  for (const s of skipped) o.mark(`shared folder skipped: ${s.reason}`);
  const engineConfig = await prepareEngineConfig(guest, o.vmDir, settings.engineConfig ?? {});
  return { settings, image, authorizedKey, shares, engineConfig };
}

/** QEMU's command line for one attempt: this accelerator, this SSH port, the shares as this attempt serves them. */
export function qemuBootCommand(
  guest: GuestProvider,
  inputs: BootInputs,
  attempt: {
    arch: GuestArch;
    accel: Accel;
    sshPort: number;
    shares: Share[];
    dataDisk: string;
    qmpSocket: string;
  },
): { command: string; args: string[] } {
  const { settings, image, authorizedKey, engineConfig } = inputs;
  const { arch, accel, sshPort, shares, dataDisk, qmpSocket } = attempt;
  return buildQemuCommand({
    arch,
    accel,
    cpus: settings.cpus,
    memoryMiB: settings.memoryMiB,
    kernel: image.kernel,
    initrd: image.initrd,
    cmdline: guest.kernelCmdline({ arch, authorizedKey, shares, engineConfig: !!engineConfig }),
    shares,
    diskArgs: [...guest.qemuDiskArgs({ image, dataDisk }), ...(engineConfig?.qemuArgs ?? [])],
    serial: { kind: 'stdio' },
    qmpSocket,
    sshPort,
  });
}
