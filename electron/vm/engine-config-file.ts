import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../base/atomic-file';
import type { GuestProvider } from './guest';

/**
 * The user's engine settings (Settings > Docker Engine, already checked by the settings store) as the file QEMU
 * hands the guest at boot, or null when there are none: then nothing is sent and the guest loads no module for
 * it. 0600: registry names and log options are the user's business. Rewritten on every boot, so what the engine
 * runs with is always the settings of that boot.
 */
export async function prepareEngineConfig(
  guest: Pick<GuestProvider, 'engineConfigJson' | 'engineConfigArgs'>,
  vmDir: string,
  user: Record<string, unknown>,
): Promise<{ qemuArgs: string[] } | null> {
  const file = path.join(vmDir, 'engine-config.json');
  if (Object.keys(user).length === 0) {
    await fs.rm(file, { force: true });
    return null;
  }
  await writeFileAtomic(file, guest.engineConfigJson(user) + '\n', 0o600);
  return { qemuArgs: guest.engineConfigArgs(file) };
}
