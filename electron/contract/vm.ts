/**
 * Params and results of the vm.* and settings.* calls. No Node imports: the renderer reads these types too.
 */
import { z } from 'zod';
import type { Settings } from './settings';

export type { Settings };

/** The hypervisor acceleration a VM runs on (TCG: pure emulation, the fallback). */
export type Accel = 'kvm' | 'hvf' | 'whpx' | 'tcg';

/**
 * Where a boot is, in one shape everywhere: the VM's status, the status summary, the items of vm.start, the
 * CLI's lines and the status bar. Host steps, then the guest's boot stages, then the engine's (tunnel, engine).
 */
export interface BootProgress {
  stage: string;
  percent: number;
  detail?: string;
}

export type VmStatus =
  | { state: 'stopped' }
  | ({ state: 'starting'; accel?: Accel } & BootProgress)
  | { state: 'running'; accel: Accel; sshPort: number; pid: number; startedAt: string; bootMs: number; accelNote?: string }
  | { state: 'stopping' }
  | {
      state: 'error';
      reason: string;
      hint: string;
      lastConsoleLines: string[];
      /** Set when settings.autoRestart scheduled a new boot. */
      restartInMs?: number;
    };

export type TunnelState = 'idle' | 'connecting' | 'connected' | 'disconnected' | 'refused' | 'closed';

export const vmLogsParams = z.object({ lines: z.number().int().min(1).max(10_000).default(200) }).strict();

/** Values are checked by the settings validator, which names each bad field and checks host limits. */
export const settingsUpdateParams = z.object({ patch: z.record(z.string(), z.unknown()) }).strict();

/** The data disk as the guest's df sees it: what images, containers and volumes use. */
export interface DataDiskUsage {
  usedBytes: number;
  sizeBytes: number;
  /** nearly-full from 90% used; full when almost nothing is left (the engine may fail to write). */
  level: 'ok' | 'nearly-full' | 'full';
  /** What to do about it, when it is not ok. */
  hint?: string;
}

/** The VM, the tunnel and the engine in detail (what the Engine holds; status.get is its summary). */
export interface VmDetail {
  vm: VmStatus;
  tunnel: TunnelState;
  engine: { ready: boolean; version?: string; apiVersion?: string };
  /** The host socket for the docker CLI, when serving. */
  dockerSocket: string | null;
  /** Set when the tunnel refuses the guest (host key mismatch) or the engine does not answer. */
  problem?: { code: string; message: string; hint?: string };
  /** The engine's part of a boot (tunnel, waiting for dockerd), once the VM itself runs; absent otherwise. */
  boot?: BootProgress;
  /** Measured while the engine runs. */
  disk?: DataDiskUsage;
  /** Resource Saver: whether the VM is paused to save the host's CPU and memory. */
  saver?: ResourceSaverStatus;
}

/**
 * Resource Saver (settings.resourceSaverMinutes): with no container running for that long the VM's vCPUs are
 * stopped; any request wakes it. `off` while the engine is not up.
 */
export interface ResourceSaverStatus {
  state: 'off' | 'running' | 'pausing' | 'paused' | 'waking';
  /** The idle period in force (0: no idle pause). */
  idleMinutes: number;
  pausedAt?: string;
  /** Wakes since the engine came up, and how long the last QMP `cont` took. */
  wakes: number;
  lastWakeMs?: number;
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
