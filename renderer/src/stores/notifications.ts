import { create } from 'zustand';
import type { BerthStatus, ContainerSummary } from '../../../electron/contract/contract';

export interface Toast {
  id: number;
  title: string;
  body: string;
}

/** In-app toasts: browser mode's notifications (and the desktop's, when the window is in front). */
export const useToasts = create<{ toasts: Toast[] }>(() => ({ toasts: [] }));
let nextId = 1;

export function dismissToast(id: number): void {
  useToasts.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

/**
 * Tells the user something happened: a desktop notification when the window is hidden and Electron can show one,
 * otherwise a toast that goes away by itself.
 */
export function notify(title: string, body: string): void {
  if (typeof document !== 'undefined' && document.hidden && window.berth?.notify) {
    void window.berth.notify({ title, body });
    return;
  }
  const id = nextId++;
  useToasts.setState((s) => ({ toasts: [...s.toasts.slice(-4), { id, title, body }] }));
  setTimeout(() => dismissToast(id), 8000);
}

/** The VM went down without anyone asking: running (or starting) before, failed now. */
export function vmStopNotice(prev: BerthStatus['vm'] | undefined, next: BerthStatus['vm']): { title: string; body: string } | null {
  if (!prev || next.state !== 'error' || prev.state === 'error') return null;
  return { title: 'The VM stopped unexpectedly', body: `${next.reason}${next.hint ? ` ${next.hint}` : ''}` };
}

/**
 * A container that was running and now exited with a non-zero code. Exit 137 is a SIGKILL, which is what the
 * kernel's OOM killer sends; the summary does not carry OOMKilled, so it is named as "killed (out of memory?)".
 */
export function containerDeathNotice(prev: ContainerSummary | undefined, next: ContainerSummary): { title: string; body: string } | null {
  if (!prev || prev.state !== 'running' || next.state !== 'exited') return null;
  const code = Number(/Exited \((\d+)\)/.exec(next.status)?.[1] ?? '0');
  if (code === 0) return null;
  return code === 137
    ? { title: `${next.name} was killed`, body: 'Exit code 137 (SIGKILL): out of memory, or killed from outside.' }
    : { title: `${next.name} exited with code ${code}`, body: `Image ${next.image}. See its logs.` };
}
