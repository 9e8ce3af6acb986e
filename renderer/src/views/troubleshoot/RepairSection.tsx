import { useState } from 'react';
import { agent } from '../../connection/connection';
import { saveBase64 } from '../../connection/bridge';
import { ErrorNote } from '../../components/ErrorNote';
import { FactoryResetDialog } from './FactoryResetDialog';

type Failure = { message: string; hint?: string } | null;

/** Diagnostics to send, the host key reset, and the factory reset. */
export function RepairSection() {
  const [busy, setBusy] = useState<'diag' | 'hostkey' | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [failure, setFailure] = useState<Failure>(null);
  const [resetOpen, setResetOpen] = useState(false);
  const act = async (which: 'diag' | 'hostkey') => {
    setBusy(which);
    setFailure(null);
    setNote(null);
    try {
      if (which === 'diag') {
        const b = await agent().call('vm.diagnostics', {});
        saveBase64(b.fileName, b.base64);
        setNote(`${b.fileName} (${Math.ceil(b.bytes / 1024)} KiB): ${b.files.join(', ')}. No keys, access token or passwords are in it.`);
      } else {
        await agent().call('vm.resetHostKey', {});
        setNote('The pinned host key was removed; the next key the VM presents is trusted and pinned.');
      }
    } catch (err) {
      setFailure(err as Failure);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="section" aria-label="Repair">
      <h2 style={{ fontSize: 14 }}>Repair and report</h2>
      <div className="actions">
        <button type="button" disabled={!!busy} onClick={() => void act('diag')}>
          {busy === 'diag' ? 'Collecting…' : 'Save diagnostics'}
        </button>
        <button type="button" disabled={!!busy} onClick={() => void act('hostkey')} title="After the VM's SSH host key changed (a new guest image)">
          Reset host key
        </button>
        <button type="button" className="danger" onClick={() => setResetOpen(true)}>
          Reset to factory defaults…
        </button>
      </div>
      {note ? (
        <p className="muted" role="status">
          {note}
        </p>
      ) : null}
      <ErrorNote error={failure} onDismiss={() => setFailure(null)} />
      {resetOpen ? <FactoryResetDialog onClose={() => setResetOpen(false)} /> : null}
    </div>
  );
}
