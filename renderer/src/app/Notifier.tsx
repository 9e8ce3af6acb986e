import { useEffect } from 'react';
import type { ContainerSummary } from '../../../electron/contract/contract';
import { useStatus } from '../stores/status';
import { containersStore } from '../stores/domains';
import { containerDeathNotice, dismissToast, notify, useToasts, vmStopNotice } from '../stores/notifications';

/**
 * Watches the stores (engine events -> agent model -> stores) for what the user should hear about, and shows
 * the in-app toasts.
 */
export function Notifier() {
  useEffect(() => {
    const offStatus = useStatus.subscribe((s, prev) => {
      if (!s.status) return;
      const n = vmStopNotice(prev.status?.vm, s.status.vm);
      if (n) notify(n.title, n.body);
    });
    const offContainers = containersStore.subscribe((s, prev) => {
      if (s.byId === prev.byId || !prev.loaded) return;
      for (const [id, c] of s.byId) {
        const n = containerDeathNotice(prev.byId.get(id) as ContainerSummary | undefined, c);
        if (n) notify(n.title, n.body);
      }
    });
    return () => {
      offStatus();
      offContainers();
    };
  }, []);
  const toasts = useToasts((s) => s.toasts);
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast" role="status">
          <strong>{t.title}</strong>
          <div>{t.body}</div>
          <button type="button" className="icon" aria-label="Dismiss notification" onClick={() => dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
