import { useState } from 'react';
import { agent } from '../../connection/connection';
import { useAgentCall } from '../../components/useAgentCall';
import { ErrorNote } from '../../components/ErrorNote';
import { formatBytes } from '../../components/format';
import { DataTable, type Column } from '../../components/DataTable';
import type { BerthError } from '../../../../electron/base/errors';
import type { FileContent, FileEntry } from '../../../../electron/contract/model';

function join(dir: string, name: string): string {
  return (dir.endsWith('/') ? dir : `${dir}/`) + name;
}

function parent(dir: string): string {
  const p = dir.replace(/\/+$/, '').split('/').slice(0, -1).join('/');
  return p || '/';
}

function decode(file: FileContent): { text: string | null; bytes: Uint8Array } {
  const bin = atob(file.base64);
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  if (bytes.subarray(0, 8000).includes(0)) return { text: null, bytes };
  return { text: new TextDecoder().decode(bytes), bytes };
}

/** Browse the container's filesystem (ls in the container), view text files, download any file. */
export function FilesPanel({ id, running }: { id: string; running: boolean }) {
  const [dir, setDir] = useState('/');
  const listing = useAgentCall(() => (running ? agent().call('containers.files', { id, path: dir }) : Promise.resolve(null)), [id, dir, running]);
  const [open, setOpen] = useState<{ file: FileContent; text: string | null; bytes: Uint8Array } | null>(null);
  const [error, setError] = useState<BerthError | null>(null);
  const read = async (path: string) => {
    setError(null);
    try {
      const file = await agent().call('containers.readFile', { id, path });
      setOpen({ file, ...decode(file) });
    } catch (err) {
      setError(err as BerthError);
    }
  };
  const download = (name: string, bytes: Uint8Array) => {
    const url = URL.createObjectURL(new Blob([bytes as BlobPart]));
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const columns: Column<FileEntry>[] = [
    {
      header: 'Name',
      cell: (e) =>
        e.type === 'dir' ? (
          <button type="button" className="link" onClick={() => setDir(join(dir, e.name))}>
            {e.name}/
          </button>
        ) : e.type === 'file' ? (
          <button type="button" className="link" onClick={() => void read(join(dir, e.name))}>
            {e.name}
          </button>
        ) : (
          <span>
            {e.name} {e.type === 'link' ? '→' : ''}
          </span>
        ),
    },
    { header: 'Size', cell: (e) => (e.type === 'file' ? formatBytes(e.size) : '') },
    { header: 'Mode', cell: (e) => e.mode, className: 'muted' },
  ];
  if (!running) return <p className="term-note">Files can be browsed while the container runs.</p>;
  // The listing on screen may be of the folder before the last click: it stays (no flash) but cannot be used.
  const shown = listing.data;
  const stale = listing.loading || (shown !== null && shown.path.replace(/\/+$/, '') !== dir.replace(/\/+$/, ''));
  return (
    <div className="tabpanel" style={{ overflow: 'auto', padding: '0 16px 16px' }}>
      <div className="toolbar" style={{ padding: '8px 0' }}>
        <button type="button" disabled={dir === '/'} onClick={() => setDir(parent(dir))} aria-label="Up one folder">
          ↑ Up
        </button>
        <span className="files-path" aria-label="Current folder">
          {dir}
        </span>
      </div>
      <ErrorNote error={listing.error ?? error} />
      {open ? (
        <div className="section">
          <h3>
            {open.file.path} ({formatBytes(open.file.size)}
            {open.file.truncated ? ', first part only' : ''}){' '}
            <button type="button" onClick={() => download(open.file.path.split('/').pop() ?? 'file', open.bytes)}>
              Download
            </button>{' '}
            <button type="button" onClick={() => setOpen(null)}>
              Close file
            </button>
          </h3>
          {open.text !== null ? (
            <pre className="raw" aria-label={`Contents of ${open.file.path}`}>
              {open.text}
            </pre>
          ) : (
            <p className="muted">A binary file: download it to look inside.</p>
          )}
        </div>
      ) : null}
      {listing.loading ? (
        <p className="loading" role="status">
          Loading {dir}…
        </p>
      ) : null}
      {shown && !listing.error ? (
        <fieldset className={stale ? 'stale' : 'plain'} disabled={stale} aria-busy={stale || undefined}>
          <DataTable label={stale ? `Files in ${shown.path} (outdated)` : `Files in ${dir}`} columns={columns} rows={shown.entries} rowKey={(e) => e.name} loading={stale} />
        </fieldset>
      ) : null}
    </div>
  );
}
