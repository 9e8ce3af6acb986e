/**
 * The Files tab's calls: browse, read, write, make folders, delete, download. Listing and reading go through the
 * engine's archive API (so a stopped container works too); writes are tar archives the agent builds. A call's
 * bytes travel base64 inside one protocol frame, so one upload is capped (MAX_UPLOAD_BYTES); a download is a
 * stream of chunks and has no such cap.
 */
import { z } from 'zod';
import { MAX_FRAME_BYTES } from '../protocol/frames';

/** An absolute path in a container, no longer than Linux's PATH_MAX. */
const containerPath = z.string().min(1).max(4096).startsWith('/');

export const filesListParams = z.object({ id: z.string().min(1), path: containerPath }).strict();

export interface FileEntry {
  name: string;
  type: 'file' | 'dir' | 'link' | 'other';
  size: number;
  mode: string;
}

export interface FileListing {
  path: string;
  entries: FileEntry[];
  /** The folder holds more than a listing reads through the archive API: some entries may be missing. */
  partial: boolean;
  /** Listed from a stopped container (through the archive API). */
  stopped: boolean;
}

/**
 * Room in a containers.readFile reply for everything but the file's base64: the frame's keys, the size, and the
 * path echoed back (4096 characters, each up to 6 when JSON escapes it).
 */
export const FILE_READ_ENVELOPE_BYTES = 64 * 1024;
/** The most of a file one reply can carry: base64 makes 3 bytes 4 characters, and the reply must fit one frame. */
export const MAX_FILE_READ_BYTES = Math.floor((MAX_FRAME_BYTES - FILE_READ_ENVELOPE_BYTES) / 4) * 3;

export const fileReadParams = z
  .object({
    id: z.string().min(1),
    path: containerPath,
    maxBytes: z.number().int().min(1).max(MAX_FILE_READ_BYTES).default(2 * 1024 * 1024),
  })
  .strict();

export interface FileContent {
  path: string;
  size: number;
  /** Base64 of the file (up to maxBytes). */
  base64: string;
  truncated: boolean;
}


/** The most one upload (or save) can carry: the bytes travel base64 inside one request frame, like a read. */
export const MAX_UPLOAD_BYTES = MAX_FILE_READ_BYTES;
/** Text files bigger than this are not opened in the editor. */
export const MAX_EDIT_BYTES = 1024 * 1024;

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;

export const fileWriteParams = z
  .object({
    id: z.string().min(1),
    /** The file's full path; its folder must exist. An existing file keeps its mode and owner. */
    path: containerPath,
    base64: z
      .string()
      .max(
        Math.ceil(MAX_UPLOAD_BYTES / 3) * 4,
        `a file over ${mib(MAX_UPLOAD_BYTES)} cannot be uploaded here: copy it with \`docker cp\``,
      ),
  })
  .strict();

export const fileMkdirParams = z.object({ id: z.string().min(1), path: containerPath }).strict();
export const fileDeleteParams = z.object({ id: z.string().min(1), path: containerPath }).strict();

export const fileDownloadParams = z
  .object({
    id: z.string().min(1),
    path: containerPath,
    /** 'tar': the archive the engine makes (file or folder); 'file': a regular file's own bytes. */
    as: z.enum(['tar', 'file']),
  })
  .strict();

/** One piece of a download, in order; the stream ends after the last. */
export interface DownloadChunk {
  base64: string;
}

/** The most one download may hold (the UI keeps it in memory until it is saved). */
export const MAX_DOWNLOAD_BYTES = 1024 * 1024 * 1024;
