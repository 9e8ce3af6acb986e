export type { VmStatus } from '../contract/vm';

/** Host-side steps before the guest prints anything; their share of the progress bar. */
const HOST_STAGES: Record<string, number> = { prepare: 1, image: 3, disk: 6, hypervisor: 9 };
const GUEST_SPAN: [number, number] = [10, 95];

export function stagePercent(stage: string, guestStages: readonly string[]): number {
  if (stage in HOST_STAGES) return HOST_STAGES[stage];
  if (stage === 'ssh') return 97;
  const i = guestStages.indexOf(stage);
  if (i < 0) return GUEST_SPAN[0];
  return Math.round(GUEST_SPAN[0] + ((GUEST_SPAN[1] - GUEST_SPAN[0]) * (i + 1)) / guestStages.length);
}
