import { useState } from 'react';
import { Dialog } from '../../components/Dialog';
import { ErrorNote } from '../../components/ErrorNote';
import { useBusyAction } from '../../components/useBusyAction';

/**
 * A small text file edited in place. Save writes it back (the agent keeps its mode and owner); a failed save
 * keeps the text. Closing with unsaved edits asks first, so they are never dropped silently.
 */
export function FileEditorDialog({
  path,
  initial,
  onSave,
  onClose,
}: {
  path: string;
  initial: string;
  onSave(text: string): Promise<void>;
  onClose(): void;
}) {
  const [text, setText] = useState(initial);
  const { busy, error, act } = useBusyAction();
  const saving = busy !== null;
  const [askDiscard, setAskDiscard] = useState(false);
  const dirty = text !== initial;
  const close = () => (dirty ? setAskDiscard(true) : onClose());
  const save = async () => {
    if (await act('save', () => onSave(text))) onClose();
  };
  return (
    <Dialog title={`Edit ${path}`} onClose={close} wide>
      <textarea
        className="file-editor"
        aria-label={`Text of ${path}`}
        value={text}
        spellCheck={false}
        rows={20}
        readOnly={saving}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if ((e.ctrlKey || e.metaKey) && e.key === 's') {
            e.preventDefault();
            if (dirty && !saving) void save();
          }
        }}
      />
      <ErrorNote error={error} />
      {askDiscard ? (
        <div className="buttons" role="alert">
          <span>Discard your changes to {path}?</span>
          <button type="button" onClick={() => setAskDiscard(false)} autoFocus>
            Keep editing
          </button>
          <button type="button" className="danger" onClick={onClose}>
            Discard
          </button>
        </div>
      ) : (
        <div className="buttons">
          <span className="muted">{saving ? 'Saving…' : dirty ? 'Unsaved changes' : 'No changes'}</span>
          <button type="button" onClick={close}>
            Cancel
          </button>
          <button type="button" className="primary" disabled={!dirty || saving} onClick={() => void save()}>
            Save
          </button>
        </div>
      )}
    </Dialog>
  );
}
