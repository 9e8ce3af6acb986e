/**
 * The VM and its disk run from a client: restart, settings checks, factory reset, diagnostics, disk usage,
 * prune with a preview, and giving freed space back to the host. Spread into the one contract (contract.ts).
 * Node-free: the renderer reads these types too.
 */
import { z } from 'zod';
import { call, stream } from '../protocol/spec';
import type { BootProgress, VmDetail } from './vm';

const none = z.object({}).strict();

/** One bad field and why, as the settings validator names it (the Settings view shows it next to the field). */
export interface FieldProblem {
  field: string;
  message: string;
}

export const settingsValidateParams = z.object({ patch: z.record(z.string(), z.unknown()) }).strict();

export interface SettingsCheck {
  /** Empty when the patch would be accepted by settings.update. */
  problems: FieldProblem[];
}

export interface FactoryResetResult {
  /** The files and folders that were deleted. */
  removed: string[];
}

/** What factory reset deletes, to name it in the confirmation before anything is touched. */
export interface FactoryResetPlan {
  paths: { path: string; what: string; exists: boolean }[];
}

export interface DiagnosticsBundle {
  fileName: string;
  /** The .tar.gz, base64 (the protocol carries JSON). */
  base64: string;
  bytes: number;
  /** The files inside, for the user to see what is shared. */
  files: string[];
}

export const PRUNE_CATEGORIES = ['containers', 'images', 'volumes', 'build-cache'] as const;
export type PruneCategory = (typeof PRUNE_CATEGORIES)[number];

export const pruneParams = z
  .object({
    category: z.enum(PRUNE_CATEGORIES),
    /** images: every image no container uses (not only dangling ones). volumes: named ones too. */
    all: z.boolean().default(false),
  })
  .strict();

export interface DiskCategoryUsage {
  category: PruneCategory;
  count: number;
  /** Unique bytes on the data disk (shared image layers counted once). */
  sizeBytes: number;
  reclaimableBytes: number;
}

export interface DataDiskSize {
  file: string;
  /** Bytes the qcow2 file really takes on the host (blocks, not the apparent size). */
  allocatedBytes: number;
  /** The size the guest sees. */
  virtualBytes: number;
}

export interface DiskUsage {
  /** Null while the engine is not running. */
  categories: DiskCategoryUsage[] | null;
  dataDisk: DataDiskSize | null;
}

export interface PruneItem {
  id: string;
  name: string;
  sizeBytes: number;
}

export interface PrunePreview {
  category: PruneCategory;
  all: boolean;
  items: PruneItem[];
  reclaimableBytes: number;
}

export interface PruneOutcome {
  category: PruneCategory;
  removed: string[];
  reclaimedBytes: number;
}

export interface ReclaimResult {
  /** What fstrim reported it discarded in the guest. */
  trimmedBytes: number;
  before: DataDiskSize | null;
  after: DataDiskSize | null;
}

export const vmCalls = {
  /** Would settings.update accept this patch? Every bad field named (a smaller disk than the current one too). */
  'settings.validate': call<SettingsCheck>()(settingsValidateParams),
  /** What vm.factoryReset would delete. */
  'vm.factoryResetPlan': call<FactoryResetPlan>()(none),
  /** Deletes the data disk (images, containers, volumes), settings and registry logins. The VM must be stopped. */
  'vm.factoryReset': call<FactoryResetResult>()(none),
  /** One .tar.gz of logs, settings, status and versions; no keys, token or passwords. */
  'vm.diagnostics': call<DiagnosticsBundle>()(none),
  /** `docker system df` by category, and the data disk's size on the host. */
  'disk.usage': call<DiskUsage>()(none),
  /** Exactly what disk.prune would remove now, decided as the engine decides. */
  'disk.prunePreview': call<PrunePreview>()(pruneParams),
  'disk.prune': call<PruneOutcome>()(pruneParams),
  /** Resource Saver now: stop the VM's vCPUs until the next request (or vm.wake) wakes it. */
  'vm.pause': call<VmDetail>()(none),
  /** Wake a paused VM (any request does it too); a no-op when it runs. */
  'vm.wake': call<VmDetail>()(none),
  /** Trims the guest filesystem now, so space freed in the VM goes back to the host. */
  'disk.reclaim': call<ReclaimResult>()(none),
};

export const vmStreams = {
  /** Stops the VM cleanly, then boots it again: the same progress items as vm.start. */
  'vm.restart': stream<BootProgress>()(none),
};
