/**
 * containers.*, images.*, volumes.*, networks.*: spread into the one contract (electron/shared/contract.ts).
 * Kept here so the model's entries change without touching other domains' lines.
 */
import { z } from 'zod';
import { call, stream } from '../protocol/spec';
import { runParams } from './run-spec';
import { buildParams, pushParams, tagParams } from './build';
import type { BuildBatch, PushBatch } from './build';
import {
  containerActionParams,
  containerIdParams,
  debugShellParams,
  execInput,
  execParams,
  fileDeleteParams,
  fileDownloadParams,
  fileMkdirParams,
  fileReadParams,
  fileWriteParams,
  filesListParams,
  imageIdParams,
  imageRemoveParams,
  logsParams,
  nameParams,
  networkCreateParams,
  pullParams,
  volumeCreateParams,
  watchParams,
} from './model';
import type {
  CollectionEvent,
  ContainerStatsSample,
  DownloadChunk,
  ContainerSummary,
  ExecItem,
  FileContent,
  FileListing,
  ImageHistoryEntry,
  ImageSummary,
  LogBatch,
  NetworkSummary,
  PruneResult,
  PullBatch,
  VolumeSummary,
} from './model';

const none = z.object({}).strict();

export const modelCalls = {
  /** One action on one container; a bulk action is one call per container so each shows its own progress. */
  'containers.action': call<null>()(containerActionParams),
  /** Create and start (docker run -d); the params are validated by the same rules as the Run dialog. */
  'containers.run': call<{ id: string; name: string }>()(runParams),
  'containers.inspect': call<Record<string, unknown>>()(containerIdParams),
  /** A folder's entries: `ls` in a running container, else the engine's archive API (stopped, or no ls). */
  'containers.files': call<FileListing>()(filesListParams),
  /** One file through the engine's archive API (running or stopped). */
  'containers.readFile': call<FileContent>()(fileReadParams),
  /** Writes one file (upload or save) through the archive API; an existing file keeps its mode and owner. */
  'containers.writeFile': call<{ path: string; size: number }>()(fileWriteParams),
  /** A new empty folder through the archive API. */
  'containers.mkdir': call<null>()(fileMkdirParams),
  /** rm -rf in the running container (the archive API cannot delete; a stopped container is refused). */
  'containers.deleteFile': call<null>()(fileDeleteParams),
  'images.remove': call<null>()(imageRemoveParams),
  /** Removes dangling images. */
  'images.prune': call<PruneResult>()(none),
  'images.history': call<ImageHistoryEntry[]>()(imageIdParams),
  /** `docker tag`: one more name for an image (by id or name). */
  'images.tag': call<null>()(tagParams),
  'volumes.create': call<null>()(volumeCreateParams),
  'volumes.remove': call<null>()(nameParams),
  /** Asks the engine for volume sizes (a walk of every volume); they arrive through volumes.watch. */
  'volumes.measure': call<{ updated: number }>()(none),
  'networks.create': call<null>()(networkCreateParams),
  'networks.remove': call<null>()(nameParams),
} as const;

export const modelStreams = {
  /** Snapshot, then coalesced upserts/removes, kept current by the engine's events. */
  'containers.watch': stream<CollectionEvent<ContainerSummary>>()(watchParams),
  'images.watch': stream<CollectionEvent<ImageSummary>>()(watchParams),
  'volumes.watch': stream<CollectionEvent<VolumeSummary>>()(watchParams),
  'networks.watch': stream<CollectionEvent<NetworkSummary>>()(watchParams),
  /** Log lines in batches (each line starts with its RFC 3339 timestamp); follows until cancelled. */
  'containers.logs': stream<LogBatch>()(logsParams),
  /** An interactive shell (bash if present, else sh) on a TTY; write {data} keystrokes or {resize}. */
  'containers.exec': stream<ExecItem>()(execParams, execInput),
  /** A busybox toolbox in the container's PID and network namespaces, for images with no shell. */
  'containers.debugShell': stream<ExecItem>()(debugShellParams, execInput),
  'containers.stats': stream<ContainerStatsSample>()(containerIdParams),
  /** A file or folder out of the container (running or stopped) in base64 chunks: as a tar, or a file's bytes. */
  'containers.download': stream<DownloadChunk>()(fileDownloadParams),
  /** Per-layer progress of a pull; ends when the image is there, or with the engine's error. */
  'images.pull': stream<PullBatch>()(pullParams),
  /** A host folder built into an image (classic builder): each step, its output, the failing step; ends with the error. */
  'images.build': stream<BuildBatch>()(buildParams),
  /** Per-layer progress of a push with the stored login; the last batches carry the manifest digest. */
  'images.push': stream<PushBatch>()(pushParams),
} as const;
