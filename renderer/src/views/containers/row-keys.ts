import type { KeyboardEvent } from 'react';

const FOCUSABLE = 'button:not(:disabled), a[href], input:not(:disabled)';

/**
 * Arrow keys in the container list (one Tab stop per row, on its name): Up/Down go to the same control of the
 * row above/below, Left/Right along the row's controls (select box, name, ports, actions), Home/End to the
 * row's first/last. Returns the index of the row focus moved to (for scrolling a virtualized list), or null.
 */
export function onRowKeys(e: KeyboardEvent<HTMLElement>): number | null {
  const target = e.target as HTMLElement;
  const row = target.closest<HTMLElement>('[role="row"][data-row-index]');
  if (!row || !['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return null;
  if (target.tagName === 'INPUT' && (target as HTMLInputElement).type !== 'checkbox') return null;
  const controls = focusables(row);
  const at = Math.max(0, controls.indexOf(target));
  if (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') {
    const next = { ArrowLeft: at - 1, ArrowRight: at + 1, Home: 0, End: controls.length - 1 }[e.key];
    const el = controls[Math.min(controls.length - 1, Math.max(0, next))];
    e.preventDefault();
    el?.focus();
    return null;
  }
  const index = Number(row.dataset.rowIndex) + (e.key === 'ArrowDown' ? 1 : -1);
  const list = row.closest('[role="table"]');
  // Group headers and notes are rows too, without controls of the same kind: skip to the next container row.
  const rows = [...(list?.querySelectorAll<HTMLElement>('[role="row"][data-row-index]') ?? [])].sort((a, b) => Number(a.dataset.rowIndex) - Number(b.dataset.rowIndex));
  const candidates = e.key === 'ArrowDown' ? rows.filter((r) => Number(r.dataset.rowIndex) >= index) : rows.filter((r) => Number(r.dataset.rowIndex) <= index).reverse();
  const nextRow = candidates[0];
  e.preventDefault();
  if (!nextRow) return null;
  const same = focusables(nextRow);
  (same[Math.min(at, same.length - 1)] ?? nextRow.querySelector<HTMLElement>('.name button'))?.focus();
  return Number(nextRow.dataset.rowIndex);
}

/** The row's controls that can take focus now (a narrow window hides some: see .secondary-action). */
function focusables(row: HTMLElement): HTMLElement[] {
  return [...row.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((el) => el.checkVisibility?.() !== false);
}
