import { useState } from 'react';
import type { BerthError } from '../../../../electron/base/errors';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { nameProblem } from './file-paths';

/** Asks for a new folder's name; stays open with the agent's error (e.g. the name is taken) so it can be fixed. */
export function NewFolderDialog({ folder, onCreate, onClose }: { folder: string; onCreate(name: string): Promise<void>; onClose(): void }) {
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; hint?: string } | null>(null);
  const submit = async () => {
    const problem = nameProblem(name);
    if (problem) return setError({ message: problem });
    setBusy(true);
    setError(null);
    try {
      await onCreate(name);
      onClose();
    } catch (err) {
      setError(err as BerthError);
    } finally {
      setBusy(false);
    }
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
