import type Docker from 'dockerode';
import { BerthError } from '../base/errors';
import { MAX_DOWNLOAD_BYTES, type DownloadChunk } from '../contract/model';
import type { PumpSink } from '../protocol/pump';
import { archiveStream } from './container-files';
import { walkTar } from './tar';

/** Bytes per pushed item: big enough to be few frames, small enough (base64 ~1.4 MB) to stay far below one. */
const CHUNK_BYTES = 1024 * 1024;

/**
 * A file or folder out of a container as a stream of chunks, running or stopped: the engine's archive (as: 'tar'),
 * or a regular file's own bytes taken out of it (as: 'file'). Pushes wait for the client's credit, so the engine's
 * stream is read no faster than the client takes it.
 */
export async function streamDownload(
  docker: Docker,
  id: string,
  target: string,
  as: 'tar' | 'file',
  sink: PumpSink<DownloadChunk>,
): Promise<void> {
  const source = await archiveStream(docker, id, target, `Cannot download ${target}`);
  sink.signal.addEventListener('abort', () => source.destroy?.(), { once: true });
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let total = 0;
  const flush = async () => {
    if (!pendingBytes) return;
    const data = Buffer.concat(pending);
    pending = [];
    pendingBytes = 0;
    await sink.push({ base64: data.toString('base64') });
  };
  const forward = async (stream: AsyncIterable<Buffer>) => {
    for await (const chunk of stream) {
      total += chunk.length;
      if (total > MAX_DOWNLOAD_BYTES) {
        throw new BerthError('bad-request', `${target} is over ${MAX_DOWNLOAD_BYTES / 1024 ** 3} GiB`, 'Copy it with `docker cp`.');
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= CHUNK_BYTES) await flush();
    }
  };
  try {
    if (as === 'tar') {
      await forward(source as unknown as AsyncIterable<Buffer>);
    } else {
      let wasFile = false;
      await walkTar(source, async (head, body) => {
        wasFile = head.type === 'file';
        if (wasFile) await forward(body);
        return 'stop';
      });
      if (!wasFile) throw new BerthError('bad-request', `${target} is not a regular file`, 'Download a folder as a .tar.');
    }
    await flush();
  } finally {
    source.destroy?.();
  }
}
