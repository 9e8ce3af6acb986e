import type { Settings } from '../../../../electron/contract/settings';

/** The editable fields as the form holds them: numbers as typed, so "abc" reaches the validator and is named. */
export interface SettingsDraft {
  cpus: string;
  memoryMiB: string;
  diskGiB: string;
  shares: string[];
  autostart: boolean;
  autoRestart: boolean;
  accel: Settings['accel'];
  exposePortsOnAllInterfaces: boolean;
  imageUrl: string;
  resourceSaverMinutes: string;
}

export function toDraft(s: Settings): SettingsDraft {
  return {
    cpus: String(s.cpus),
    memoryMiB: String(s.memoryMiB),
    diskGiB: String(s.diskGiB),
    shares: [...s.shares],
    autostart: s.autostart,
    autoRestart: s.autoRestart,
    accel: s.accel,
    exposePortsOnAllInterfaces: s.exposePortsOnAllInterfaces,
    imageUrl: s.imageUrl,
    resourceSaverMinutes: String(s.resourceSaverMinutes),
  };
}

function numberOrText(v: string): number | string {
  const t = v.trim();
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

/** Only what changed, so an untouched field is never rewritten (or re-validated into a problem). */
export function draftPatch(saved: Settings, d: SettingsDraft): Record<string, unknown> {
  const next: Record<string, unknown> = {
    cpus: numberOrText(d.cpus),
    memoryMiB: numberOrText(d.memoryMiB),
    diskGiB: numberOrText(d.diskGiB),
    shares: d.shares,
    autostart: d.autostart,
    autoRestart: d.autoRestart,
    accel: d.accel,
    exposePortsOnAllInterfaces: d.exposePortsOnAllInterfaces,
    imageUrl: d.imageUrl.trim(),
    resourceSaverMinutes: numberOrText(d.resourceSaverMinutes),
  };
  const patch: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(next)) {
    if (JSON.stringify(v) !== JSON.stringify(saved[k as keyof Settings])) patch[k] = v;
  }
  return patch;
}

/** The restart-bound fields in words, for "applies when the VM restarts". */
export const FIELD_LABELS: Record<string, string> = {
  cpus: 'CPUs',
  memoryMiB: 'Memory',
  diskGiB: 'Disk size',
  shares: 'Shared folders',
  autostart: 'Start with the agent',
  autoRestart: 'Restart after a crash',
  accel: 'Accelerator',
  hypervisor: 'Hypervisor',
  exposePortsOnAllInterfaces: 'Expose ports on all interfaces',
  imageUrl: 'Guest image URL',
  resourceSaverMinutes: 'Resource Saver (minutes)',
};
