import { useState } from 'react';
import type { BerthError } from '../../../../electron/base/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { useBusyAction } from '../../components/useBusyAction';
import { nameProblem } from './file-paths';

/** Asks for a new folder's name; stays open with the agent's error (e.g. the name is taken) so it can be fixed. */
export function NewFolderDialog({ folder, onCreate, onClose }: { folder: string; onCreate(name: string): Promise<void>; onClose(): void }) {
  const [name, setName] = useState('');
  const { busy: creating, error, setError, act } = useBusyAction();
  const busy = creating !== null;
  const submit = async () => {
    const problem = nameProblem(name);
    if (problem) return setError({ code: 'bad-request', message: problem } as BerthError);
    if (await act('create', () => onCreate(name))) onClose();
  };
  return (
    <Dialog title={`New folder in ${folder}`} onClose={onClose}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label>
          Name <input autoFocus value={name} onChange={(e) => setName(e.target.value)} aria-label="Folder name" disabled={busy} />
        </label>
        <ErrorNote error={error} />
        <div className="buttons">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
