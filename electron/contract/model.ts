/**
 * What the agent's engine model shows clients: containers, images, volumes and networks, plus the params of the
 * calls and streams that act on them. No Node imports: the renderer reads these types (and the run-form schema).
 */
import { z } from 'zod';

export * from './container-files';

export type ContainerState = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead';

export interface PortBinding {
  privatePort: number;
  publicPort?: number;
  hostIp?: string;
  type: string;
}

export interface MountSummary {
  type: string;
  name?: string;
  source: string;
  destination: string;
  rw: boolean;
}

export interface ContainerSummary {
  id: string;
  name: string;
  image: string;
  imageId: string;
  command: string;
  state: ContainerState;
  /** Docker's human status ("Up 3 minutes", "Exited (0) 2 hours ago"). */
  status: string;
  created: number;
  ports: PortBinding[];
  /** Compose project (label com.docker.compose.project), null when not part of one. */
  project: string | null;
  service: string | null;
  labels: Record<string, string>;
  mounts: MountSummary[];
  /** Attached network names. */
  networks: string[];
  /** Live usage while running, when the engine reports it. */
  cpuPercent?: number;
  memBytes?: number;
  /** Why it stopped (electron/contract/exit-reason.ts): the last exit code, from the engine's status line. */
  exitCode?: number;
  /** The kernel's OOM killer ended it (State.OOMKilled, read by inspect after a die/oom event). */
  oomKilled?: boolean;
  /** Restarts by its restart policy (RestartCount, read by inspect after a restart/die event). */
  restartCount?: number;
  /** Its healthcheck's verdict, when it has one (from the status line "(healthy)"). */
  health?: 'starting' | 'healthy' | 'unhealthy';
}

export interface ImageSummary {
  id: string;
  tags: string[];
  digests: string[];
  size: number;
  created: number;
  /** Containers (any state) created from this image. */
  containers: number;
  dangling: boolean;
}

export interface VolumeSummary {
  id: string;
  name: string;
  driver: string;
  mountpoint: string;
  created: number;
  labels: Record<string, string>;
  /** Names of containers mounting it. */
  usedBy: string[];
  size?: number;
}

export interface NetworkSummary {
  id: string;
  name: string;
  driver: string;
  scope: string;
  subnet?: string;
  internal: boolean;
  created: number;
  /** Names of attached containers. */
  containers: string[];
  builtin: boolean;
}

/**
 * One collection watch: a full snapshot first (and again after the engine reconnects), then coalesced deltas.
 * `ready` is false while no engine answers: the list is empty for that reason, not because nothing exists.
 */
export type CollectionEvent<T> =
  | { kind: 'snapshot'; ready: boolean; items: T[] }
  | { kind: 'delta'; upserts: T[]; removes: string[] };

export const watchParams = z.object({}).strict();

export const containerActions = ['start', 'stop', 'restart', 'pause', 'unpause', 'kill', 'remove'] as const;
export type ContainerAction = (typeof containerActions)[number];

export const containerActionParams = z
  .object({
    id: z.string().min(1),
    action: z.enum(containerActions),
    /** remove: stop a running container first. */
    force: z.boolean().default(false),
    /** remove: also remove anonymous volumes. */
    volumes: z.boolean().default(false),
  })
  .strict();

export const containerIdParams = z.object({ id: z.string().min(1) }).strict();

export const logsParams = z
  .object({
    id: z.string().min(1),
    follow: z.boolean().default(true),
    /** Lines from the end to start with; 'all' for the whole log. */
    tail: z.union([z.number().int().min(0).max(1_000_000), z.literal('all')]).default(5000),
  })
  .strict();

/** A batch of log lines, each prefixed by the engine's RFC 3339 timestamp and a space. */
export interface LogBatch {
  lines: string[];
  stream: 'stdout' | 'stderr' | 'mixed';
}

export const execParams = z
  .object({
    id: z.string().min(1),
    cols: z.number().int().min(2).max(1000).default(80),
    rows: z.number().int().min(2).max(1000).default(24),
    /** The command to run instead of the default shell (bash, else sh), for images without /bin/sh. */
    cmd: z.array(z.string().min(1).max(4096)).min(1).max(64).optional(),
  })
  .strict();

/** A debug shell: a toolbox container in the target's PID and network namespaces (for images with no shell). */
export const debugShellParams = z
  .object({
    id: z.string().min(1),
    cols: z.number().int().min(2).max(1000).default(80),
    rows: z.number().int().min(2).max(1000).default(24),
  })
  .strict();

export const execInput = z.union([
  z.object({ data: z.string().max(64 * 1024) }).strict(),
  z.object({ resize: z.strictObject({ cols: z.number().int().min(2).max(1000), rows: z.number().int().min(2).max(1000) }) }).strict(),
]);

/** Terminal output as text, then the exit code once the shell ends (null when the engine cannot tell). */
export type ExecItem = { data: string } | { exit: number | null };

export interface ContainerStatsSample {
  t: number;
  cpuPercent: number;
  memBytes: number;
  memLimit: number;
  netRx: number;
  netTx: number;
  blkRead: number;
  blkWrite: number;
}

export const imageRemoveParams = z.object({ id: z.string().min(1), force: z.boolean().default(false) }).strict();
export const imageIdParams = z.object({ id: z.string().min(1) }).strict();
export const pullParams = z
  .object({ ref: z.string().min(1).max(512).regex(/^[a-z0-9][a-z0-9._\-/:@]*$/i, 'not an image reference') })
  .strict();

/** One layer's progress, as the engine reports it; `id` is absent for overall status lines. */
export interface PullProgress {
  id?: string;
  status: string;
  current?: number;
  total?: number;
  error?: string;
}

/** Coalesced progress: the latest line per layer since the previous batch. */
export interface PullBatch {
  updates: PullProgress[];
}

export interface ImageHistoryEntry {
  id: string;
  created: number;
  createdBy: string;
  size: number;
  tags: string[];
  comment: string;
}

export interface PruneResult {
  deleted: number;
  reclaimedBytes: number;
}

/** The engine's rule for volume and network names, said so a user can fix the name (the form shows it too). */
const engineName = (noun: string) =>
  z
    .string()
    .min(1, `a ${noun} name is required`)
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, `a ${noun} name starts with a letter or digit and has only letters, digits, _ . or -`);
export const volumeCreateParams = z.object({ name: engineName('volume'), driver: z.string().default('local') }).strict();
export const nameParams = z.object({ name: z.string().min(1), force: z.boolean().default(false) }).strict();
export const networkCreateParams = z
  .object({
    name: engineName('network'),
    driver: z.enum(['bridge', 'macvlan', 'ipvlan']).default('bridge'),
    internal: z.boolean().default(false),
  })
  .strict();
