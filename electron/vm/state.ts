import type { Accel, VmStatus } from '../contract/vm';
export type { VmStatus } from '../contract/vm';

/** Host-side steps before the guest prints anything; their share of the progress bar. */
const HOST_STAGES: Record<string, number> = { prepare: 1, image: 3, disk: 6, hypervisor: 9 };
const GUEST_SPAN: [number, number] = [10, 95];

/** The status a boot's next stage moves to (the percentage never goes back); null once it is running or stopping. */
export function startingStatus(current: VmStatus, guestStages: readonly string[], stage: string, detail?: string, accel?: Accel): VmStatus | null {
  if (current.state !== 'starting' && current.state !== 'stopped' && current.state !== 'error') return null;
  const prev = current.state === 'starting' ? current : null;
  const percent = Math.max(prev?.percent ?? 0, stagePercent(stage, guestStages));
  return { state: 'starting', stage, percent, detail, accel: accel ?? prev?.accel };
}

export function stagePercent(stage: string, guestStages: readonly string[]): number {
  if (stage in HOST_STAGES) return HOST_STAGES[stage];
  if (stage === 'ssh') return 97;
  const i = guestStages.indexOf(stage);
  if (i < 0) return GUEST_SPAN[0];
  return Math.round(GUEST_SPAN[0] + ((GUEST_SPAN[1] - GUEST_SPAN[0]) * (i + 1)) / guestStages.length);
}
