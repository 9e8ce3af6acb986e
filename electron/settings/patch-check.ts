import { BerthError } from '../base/errors';
import type { FieldProblem } from '../contract/vm-entries';
import { hostLimits, settingsProblems, type HostLimits } from './schema';
import type { SettingsStore } from './store';

/**
 * Every problem a patch would have once merged into the current settings, each naming its field. The data disk
 * can only grow: shrinking a qcow2 under a filesystem destroys data, so a diskGiB below its current size is
 * refused here rather than ignored at the next start.
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
  return problems;
}

export function problemsError(problems: FieldProblem[]): BerthError {
  return new BerthError(
    'bad-request',
    `Invalid settings: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`,
    `Fix ${problems.map((p) => p.field).join(', ')}; nothing was saved.`,
  );
}
