import type { ReactNode } from 'react';
import { Dialog } from './Dialog';

/**
 * "Remove X?" before something that cannot be undone: names what goes, focuses Cancel (Enter must not destroy
 * data by accident), and confirms with a danger button labelled by the verb.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onClose,
  onConfirm,
}: {
  title: string;
  children?: ReactNode;
  confirmLabel: string;
  onClose(): void;
  onConfirm(): void;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      {children}
      <div className="buttons">
        <button type="button" onClick={onClose} autoFocus>
          Cancel
        </button>
        <button type="button" className="primary danger" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
