import { useCallback, useState } from 'react';
import { agent } from '../../connection/connection';
import { formatBytes } from '../../components/format';
import { base64ToBytes, bytesToBase64, joinPath, saveBlob } from './file-paths';

/** What a transfer is doing now, for the status line ("Uploading a.txt (1 of 3)…"). */
export type TransferNote = string | null;

/**
 * Uploads (one call per file, base64 inside the call) and downloads (a stream of chunks saved as one blob) of
 * the Files tab, with a status line while they run. Errors are thrown to the caller's busy action.
 */
export function useFileTransfers(id: string) {
  const [note, setNote] = useState<TransferNote>(null);

  const upload = useCallback(
    async (folder: string, files: File[]) => {
      try {
        for (const [i, f] of files.entries()) {
          setNote(`Uploading ${f.name} (${i + 1} of ${files.length}, ${formatBytes(f.size)})…`);
          const bytes = new Uint8Array(await f.arrayBuffer());
          await agent().call('containers.writeFile', { id, path: joinPath(folder, f.name), base64: bytesToBase64(bytes) });
        }
      } finally {
        setNote(null);
      }
    },
    [id],
  );

  const download = useCallback(
    (path: string, as: 'tar' | 'file') =>
      new Promise<void>((resolve, reject) => {
        const base = path.replace(/\/+$/, '').split('/').pop() || 'root';
        const name = as === 'tar' ? `${base}.tar` : base;
        const parts: Uint8Array<ArrayBuffer>[] = [];
        let received = 0;
        setNote(`Downloading ${name}…`);
        agent().open(
          'containers.download',
          { id, path, as },
          {
            onItem: (chunk) => {
              const bytes = base64ToBytes(chunk.base64);
              parts.push(bytes);
              received += bytes.length;
              setNote(`Downloading ${name}… ${formatBytes(received)}`);
            },
            onEnd: (err) => {
              setNote(null);
              if (err) return reject(err);
              saveBlob(name, parts, as === 'tar' ? 'application/x-tar' : 'application/octet-stream');
              resolve();
            },
          },
          // Chunks are up to 1 MiB each: a few in flight keep the pipe full without piling up in the page.
          { window: 4 },
        );
      }),
    [id],
  );

  return { note, upload, download };
}
