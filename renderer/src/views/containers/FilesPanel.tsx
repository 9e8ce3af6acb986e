import { useRef, useState } from 'react';
import type { BerthError } from '../../../../electron/base/errors';
import { MAX_EDIT_BYTES } from '../../../../electron/contract/container-files';
import type { FileEntry } from '../../../../electron/contract/model';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { DataTable, type Column, type RowAction } from '../../components/DataTable';
import { ErrorNote } from '../../components/ErrorNote';
import { formatBytes } from '../../components/format';
import { useAgentCall } from '../../components/useAgentCall';
import { useBusyAction } from '../../components/useBusyAction';
import { agent } from '../../connection/connection';
import { base64ToBytes, breadcrumbs, bytesToBase64, editableText, joinPath, parentPath, uploadProblem } from './file-paths';
import { FileEditorDialog } from './FileEditorDialog';
import { NewFolderDialog } from './NewFolderDialog';
import { useFileTransfers } from './useFileTransfers';

const problem = (message: string): BerthError => ({ code: 'bad-request', message }) as BerthError;

/**
 * Browse a container's files, running or stopped (the agent lists a stopped one through the engine's archive
 * API), and change them: upload by drop or picker, new folder, edit a small text file, delete, download a file or
 * a folder as .tar.
 */
export function FilesPanel({ id, running }: { id: string; running: boolean }) {
  const [dir, setDir] = useState('/');
  const listing = useAgentCall(() => agent().call('containers.files', { id, path: dir }), [id, dir, running]);
  const { busy, error, setError, act } = useBusyAction();
  const transfers = useFileTransfers(id);
  const [viewing, setViewing] = useState<{ path: string; size: number; text: string | null; truncated: boolean } | null>(null);
  const [editing, setEditing] = useState<{ path: string; text: string } | null>(null);
  const [deleting, setDeleting] = useState<{ path: string; entry: FileEntry } | null>(null);
  const [replacing, setReplacing] = useState<File[] | null>(null);
  const [makingFolder, setMakingFolder] = useState(false);
  const [dragging, setDragging] = useState(false);
  const picker = useRef<HTMLInputElement>(null);

  // The listing on screen may be of the folder before the last click: it stays (no flash) but cannot be used.
  const shown = listing.data;
  const stale = listing.loading || (shown !== null && shown.path.replace(/\/+$/, '') !== dir.replace(/\/+$/, ''));
  const idle = !stale && busy === null;

  /** An action on what the listing shows; a target gone meanwhile reloads the listing so it shows what is there. */
  const run = async (key: string, what: () => Promise<unknown>) => {
    const ok = await act(key, what);
    if (!ok || key !== 'view') listing.reload();
    return ok;
  };

  const upload = (files: File[], confirmed = false) => {
    setReplacing(null);
    if (!files.length) return;
    const problems = files.map(uploadProblem).filter((p): p is string => p !== null);
    if (problems.length) return setError(problem(problems.join(' ')));
    const names = new Set(shown?.entries.map((e) => e.name));
    if (!confirmed && files.some((f) => names.has(f.name))) return setReplacing(files);
    void run('upload', () => transfers.upload(dir, files));
  };

  const view = (path: string) =>
    run('view', async () => {
      const file = await agent().call('containers.readFile', { id, path, maxBytes: MAX_EDIT_BYTES });
      const bytes = base64ToBytes(file.base64);
      const text = editableText(path, bytes, file.size, file.truncated);
      setViewing({ path, size: file.size, truncated: file.truncated, text: 'text' in text ? text.text : null });
    });

  const edit = (path: string) =>
    run('edit', async () => {
      const file = await agent().call('containers.readFile', { id, path, maxBytes: MAX_EDIT_BYTES });
      const text = editableText(path, base64ToBytes(file.base64), file.size, file.truncated);
      if ('problem' in text) throw problem(text.problem);
      setEditing({ path, text: text.text });
    });

  const save = async (path: string, text: string) => {
    const bytes = new TextEncoder().encode(text);
    await agent().call('containers.writeFile', { id, path, base64: bytesToBase64(bytes) });
    if (viewing?.path === path) setViewing({ ...viewing, text, size: bytes.length });
    listing.reload();
  };

  const pathOf = (e: FileEntry) => joinPath(dir, e.name);
  const actions: RowAction<FileEntry>[] = [
    { label: 'Edit', name: (e) => `Edit ${e.name}`, className: 'small', when: (e) => e.type === 'file', onClick: (e) => void edit(pathOf(e)) },
    {
      label: 'Download',
      name: (e) => (e.type === 'dir' ? `Download ${e.name} as .tar` : `Download ${e.name}`),
      className: 'small',
      when: (e) => e.type === 'file' || e.type === 'dir',
      onClick: (e) => void run('download', () => transfers.download(pathOf(e), e.type === 'dir' ? 'tar' : 'file')),
    },
    {
      label: 'Delete',
      name: (e) => `Delete ${e.name}`,
      className: 'small danger',
      onClick: (e) =>
        running
          ? setDeleting({ path: pathOf(e), entry: e })
          : setError(problem(`Deleting ${e.name} needs the container running: the engine can add files to a stopped container but not remove them. Start it, then delete.`)),
    },
  ];
  const columns: Column<FileEntry>[] = [
    {
      header: 'Name',
      rowHeader: true,
      cell: (e) =>
        e.type === 'dir' ? (
          <button type="button" className="link" onClick={() => setDir(joinPath(dir, e.name))}>
            {e.name}/
          </button>
        ) : e.type === 'file' ? (
          <button type="button" className="link" onClick={() => void view(joinPath(dir, e.name))}>
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

  return (
    <div
      className={dragging ? 'tabpanel files-drop dragging' : 'tabpanel files-drop'}
      style={{ overflow: 'auto', padding: '0 16px 16px' }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        if (stale || busy) return setError(problem('Wait until the folder has loaded, then drop the files again.'));
        // A dropped folder arrives as a File without bytes; only files are uploaded.
        const items = [...e.dataTransfer.items].map((i) => i.webkitGetAsEntry?.());
        if (items.some((entry) => entry?.isDirectory)) return setError(problem('Folders cannot be dropped: drop the files inside them, or make the folder first.'));
        upload([...e.dataTransfer.files]);
      }}
    >
      <div className="toolbar" style={{ padding: '8px 0' }}>
        <button type="button" disabled={dir === '/'} onClick={() => setDir(parentPath(dir))} aria-label="Up one folder">
          ↑ Up
        </button>
        <nav className="files-path" aria-label="Current folder">
          {breadcrumbs(dir).map((c, i, all) =>
            i === all.length - 1 ? (
              <span key={c.path} aria-current="location">
                {c.name}
              </span>
            ) : (
              <span key={c.path}>
                <button type="button" className="link" onClick={() => setDir(c.path)}>
                  {c.name}
                </button>
                {i > 0 ? ' / ' : ' '}
              </span>
            ),
          )}
        </nav>
        <span className="spacer" />
        <button type="button" disabled={!idle} onClick={() => picker.current?.click()}>
          Upload…
        </button>
        <input
          ref={picker}
          type="file"
          multiple
          hidden
          aria-label="Files to upload"
          onChange={(e) => {
            upload([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
        <button type="button" disabled={!idle} onClick={() => setMakingFolder(true)}>
          New folder
        </button>
        <button type="button" disabled={!idle} onClick={() => void run('download', () => transfers.download(dir, 'tar'))}>
          Download folder (.tar)
        </button>
      </div>
      {shown?.stopped ? (
        <p className="files-note">
          The container is stopped: its files are read through the engine&apos;s archive, which reads a folder whole (slower for big ones). Uploads work;
          deleting needs it running.
        </p>
      ) : null}
      {shown?.partial ? (
        <p className="files-note" role="note">
          Only part of {shown.path} is listed: it holds more than a listing reads through the archive.{' '}
          {running ? '' : 'Start the container to list it whole.'}
        </p>
      ) : null}
      <ErrorNote error={listing.error ?? error} onDismiss={error ? () => setError(null) : undefined} />
      {transfers.note || busy ? (
        <p className="loading" role="status">
          {transfers.note ?? (busy === 'view' || busy === 'edit' ? 'Opening…' : 'Working…')}
        </p>
      ) : null}
      {viewing ? (
        <div className="section">
          <h3>
            {viewing.path} ({formatBytes(viewing.size)}){' '}
            <button type="button" onClick={() => void run('download', () => transfers.download(viewing.path, 'file'))}>
              Download
            </button>{' '}
            <button type="button" onClick={() => setViewing(null)}>
              Close file
            </button>
          </h3>
          {viewing.text !== null ? (
            <pre className="raw" aria-label={`Contents of ${viewing.path}`}>
              {viewing.text}
            </pre>
          ) : (
            <p className="files-note">{viewing.truncated ? 'A big file' : 'A binary file'}: download it to look inside.</p>
          )}
        </div>
      ) : null}
      {listing.loading ? (
        <p className="loading" role="status">
          Loading {dir}…
        </p>
      ) : null}
      {shown && !listing.error ? (
        <fieldset className={stale ? 'stale' : 'plain'} disabled={!idle} aria-busy={stale || undefined}>
          <DataTable
            label={stale ? `Files in ${shown.path} (outdated)` : `Files in ${dir}`}
            columns={columns}
            rows={shown.entries}
            rowKey={(e) => e.name}
            actions={actions}
            actionsClassName="row-actions"
            loading={stale}
            empty={<p className="muted">This folder is empty. Drop files here to upload them.</p>}
          />
        </fieldset>
      ) : null}
      {dragging ? <div className="drop-note">Drop to upload into {dir}</div> : null}
      {editing ? (
        <FileEditorDialog path={editing.path} initial={editing.text} onSave={(text) => save(editing.path, text)} onClose={() => setEditing(null)} />
      ) : null}
      {makingFolder ? (
        <NewFolderDialog
          folder={dir}
          onClose={() => setMakingFolder(false)}
          onCreate={async (name) => {
            await agent().call('containers.mkdir', { id, path: joinPath(dir, name) });
            listing.reload();
          }}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete ${deleting.entry.name}?`}
          confirmLabel="Delete"
          onClose={() => setDeleting(null)}
          onConfirm={() => {
            const target = deleting.path;
            setDeleting(null);
            void run('delete', () => agent().call('containers.deleteFile', { id, path: target }));
          }}
        >
          <p>
            {deleting.entry.type === 'dir' ? `${deleting.path} and everything in it` : deleting.path} will be deleted from the container. This cannot be undone.
          </p>
        </ConfirmDialog>
      ) : null}
      {replacing ? (
        <ConfirmDialog title="Replace files?" confirmLabel="Replace" onClose={() => setReplacing(null)} onConfirm={() => upload(replacing, true)}>
          <p>
            {replacing
              .filter((f) => shown?.entries.some((e) => e.name === f.name))
              .map((f) => f.name)
              .join(', ')}{' '}
            already in {dir} will be overwritten.
          </p>
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
