import { useState } from 'react';
import { Dialog } from '../../components/Dialog';

export function RemoveDialog({ names, onClose, onConfirm }: { names: string[]; onClose(): void; onConfirm(opts: { force: boolean; volumes: boolean }): void }) {
  const [force, setForce] = useState(true);
  const [volumes, setVolumes] = useState(false);
  const title = names.length === 1 ? `Remove ${names[0]}?` : `Remove ${names.length} containers?`;
  return (
    <Dialog title={title} onClose={onClose}>
      {names.length > 1 ? <p className="muted">{names.slice(0, 8).join(', ') + (names.length > 8 ? ', …' : '')}</p> : null}
      <label>
        <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} /> Stop running containers first (force)
      </label>
      <br />
      <label>
        <input type="checkbox" checked={volumes} onChange={(e) => setVolumes(e.target.checked)} /> Also remove their anonymous volumes
      </label>
      <div className="buttons">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="button" className="primary" onClick={() => onConfirm({ force, volumes })}>
          Remove
        </button>
      </div>
    </Dialog>
  );
}
