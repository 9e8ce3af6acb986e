import { useState } from 'react';
import { agent } from '../../connection/connection';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { useAgentCall } from '../../components/useAgentCall';
import { useStatus } from '../../stores/status';

/** The word to type: deliberate enough that a stray click or Enter cannot delete a user's images and volumes. */
export const RESET_WORD = 'reset';

/**
 * Factory reset, confirmed by typing: names every file it deletes (from the agent's plan) and needs the VM
 * stopped first, as vm.factoryReset does.
 */
export function FactoryResetDialog({ onClose }: { onClose(): void }) {
  const plan = useAgentCall(() => agent().call('vm.factoryResetPlan', {}), []);
  const vmState = useStatus((s) => s.status?.vm.state);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ message: string; hint?: string } | null>(null);
  const [removed, setRemoved] = useState<string[] | null>(null);
  const stopped = vmState === 'stopped' || vmState === 'error';
  const reset = async () => {
    setBusy(true);
    setFailure(null);
    try {
      setRemoved((await agent().call('vm.factoryReset', {})).removed);
    } catch (err) {
      setFailure(err as { message: string; hint?: string });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title="Reset to factory defaults" onClose={onClose}>
      {removed ? (
        <>
          <p role="status">
            Berth is back to its defaults. {removed.length ? `Deleted: ${removed.join(', ')}.` : 'There was nothing to delete.'} The next start makes a new,
            empty data disk.
          </p>
          <div className="buttons">
            <button type="button" onClick={onClose}>
              Close
            </button>
          </div>
        </>
      ) : (
        <>
          <p>This deletes, for good:</p>
          <ErrorNote error={plan.error} />
          <ul aria-label="What will be deleted">
            {plan.data?.paths.map((p) => (
              <li key={p.path}>
                {p.what} — <code>{p.path}</code>
                {p.exists ? '' : ' (not there now)'}
              </li>
            ))}
          </ul>
          {!stopped ? <p className="error-inline">Stop the VM first (the button in the status bar): its data disk is in use.</p> : null}
          <div className="field">
            <label htmlFor="reset-confirm">
              Type <strong>{RESET_WORD}</strong> to confirm
            </label>
            <input id="reset-confirm" type="text" autoComplete="off" value={typed} onChange={(e) => setTyped(e.target.value)} />
          </div>
          <ErrorNote error={failure} />
          <div className="buttons">
            <button type="button" onClick={onClose}>
              Cancel
            </button>
            <button type="button" className="danger" disabled={typed.trim() !== RESET_WORD || !stopped || busy || !plan.data} onClick={() => void reset()}>
              {busy ? 'Deleting…' : 'Delete and reset'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
