/**
 * Compose projects run by the real `docker compose` on the host against Berth's socket: the project's services
 * and containers, Up/Down/Restart/Pull with their output, and one log view across the services. Spread into the
 * one contract (contract.ts). Node-free: the renderer reads these types too.
 */
import { z } from 'zod';
import { call, stream } from '../protocol/spec';

/** An absolute host path of a compose file (compose.yaml, docker-compose.yml, ...) or of its project folder. */
const composeFile = z.string().min(1).max(4096);

export const composeProjectParams = z.object({ file: composeFile }).strict();

export const COMPOSE_ACTIONS = ['up', 'down', 'restart', 'pull'] as const;
export type ComposeAction = (typeof COMPOSE_ACTIONS)[number];

export const composeRunParams = z.object({ file: composeFile, action: z.enum(COMPOSE_ACTIONS) }).strict();

export const composeLogsParams = z
  .object({
    file: composeFile,
    follow: z.boolean().default(false),
    /** Lines per service from the end of each log; 'all' for everything. */
    tail: z.union([z.number().int().min(0).max(100_000), z.literal('all')]).default(1000),
  })
  .strict();

export interface ComposeContainer {
  name: string;
  /** running, exited, created, ... (the engine's state). */
  state: string;
  /** The engine's human status ("Up 5 seconds", "Exited (0) 2 minutes ago"). */
  status: string;
}

export interface ComposeService {
  name: string;
  image: string | null;
  containers: ComposeContainer[];
}

export interface ComposeProject {
  file: string;
  /** The project name compose uses (the com.docker.compose.project label). */
  name: string;
  services: ComposeService[];
}

/** A few lines of compose's own output (progress, errors) as it prints them. */
export interface ComposeOutput {
  lines: string[];
}

export interface ComposeLogLine {
  service: string;
  /** RFC 3339 with nanoseconds, as the engine stamps it; lines are sent in this order across services. */
  time: string;
  text: string;
}

export interface ComposeLogBatch {
  lines: ComposeLogLine[];
}

export const composeCalls = {
  /** The file's services (from `docker compose config`) with their containers (`docker compose ps --all`). */
  'compose.project': call<ComposeProject>()(composeProjectParams),
};

export const composeStreams = {
  /** Runs `docker compose up -d | down | restart | pull`: its output as it comes; a failure ends with an error. */
  'compose.run': stream<ComposeOutput>()(composeRunParams),
  /** Every service's log lines interleaved in time order, each tagged with its service; with follow, live. */
  'compose.logs': stream<ComposeLogBatch>()(composeLogsParams),
};
