/**
 * Params and results of the vm.* and settings.* calls. No Node imports: the renderer reads these types too.
 */
import { z } from 'zod';
import type { Settings } from '../settings/schema';
import type { VmStatus } from '../vm/state';

export type { Settings, VmStatus };

export const vmLogsParams = z.object({ lines: z.number().int().min(1).max(10_000).default(200) }).strict();

/** Values are checked by the settings validator, which names each bad field and checks host limits. */
export const settingsUpdateParams = z.object({ patch: z.record(z.string(), z.unknown()) }).strict();

export interface VmStartProgress {
  stage: string;
  percent: number;
  detail?: string;
}

export interface VmDetail {
  vm: VmStatus;
  tunnel: 'idle' | 'connecting' | 'connected' | 'disconnected' | 'refused' | 'closed';
  engine: { ready: boolean; version?: string; apiVersion?: string };
  dockerSocket: string | null;
  problem?: { code: string; message: string; hint?: string };
}

export interface VmLogs {
  file: string;
  lines: string[];
}

/** Console lines as they arrive, batched; `dropped` counts lines a slow reader missed. */
export interface VmConsoleBatch {
  lines: string[];
  dropped?: number;
}

export interface SettingsView {
  file: string;
  settings: Settings;
  host: { cpus: number; memoryMiB: number };
}

export interface SettingsUpdateView {
  settings: Settings;
  /** Fields that take effect on the next VM start. */
  restartRequired: string[];
}
