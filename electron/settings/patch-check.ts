import { BerthError } from '../base/errors';
import type { FieldProblem } from '../contract/vm-entries';
import { hostLimits, settingsProblems, type HostLimits } from './schema';
import type { SettingsStore } from './store';
import fs from 'node:fs';
import { resolveShares } from '../shares/shares';

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Every problem a patch would have once merged into the current settings, each naming its field. The data disk
 * can only grow: shrinking a qcow2 under a filesystem destroys data, so a diskGiB below its current size is
 * refused here rather than ignored at the next start. A shared folder the VM could not mount is refused too.
 */
export async function patchProblems(
  store: SettingsStore,
  patch: Record<string, unknown>,
  currentDiskGiB: () => Promise<number | null>,
  host: HostLimits = hostLimits(),
): Promise<FieldProblem[]> {
  const current = await store.get();
  const problems = settingsProblems({ ...current, ...patch }, host);
  if (typeof patch.diskGiB === 'number' && !problems.some((p) => p.field === 'diskGiB')) {
    const disk = await currentDiskGiB();
    if (disk !== null && patch.diskGiB < disk) {
      problems.push({
        field: 'diskGiB',
        message: `cannot shrink: the data disk is already ${disk} GiB (it can only grow; a factory reset starts a new, smaller one)`,
      });
    }
  }
  // Each new folder checked as the VM's next boot will check it, the reason named at its place in the list.
  if (Array.isArray(patch.shares) && !problems.some((p) => p.field.startsWith('shares'))) {
    const shares = patch.shares as string[];
    for (const skipped of resolveShares(shares, isDirectory).skipped) {
      problems.push({ field: `shares.${shares.indexOf(skipped.path)}`, message: skipped.reason });
    }
  }
  return problems;
}

export function problemsError(problems: FieldProblem[]): BerthError {
  return new BerthError(
    'bad-request',
    `Invalid settings: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
    `Fix ${problems.map((p) => p.field).join(', ')}; nothing was saved.`,
  );
}
