/**
 * Where keyboard focus goes after a view swaps its content (opening a row, going Back): the element the user
 * will act on next, but only when focus was lost with the old content (it sits on <body>), never stolen from
 * something the user or the new view focused on purpose (a terminal, a search field).
 */
export function focusIfDropped(el: HTMLElement | null | undefined, opts?: FocusOptions): void {
  if (!el) return;
  const active = document.activeElement;
  if (!active || active === document.body || !document.body.contains(active)) el.focus(opts);
}

/** The row to return to when the list shows again after Back: its id, set when a row is opened. */
let lastOpened: string | null = null;
export const rememberOpened = (id: string) => void (lastOpened = id);
export const takeLastOpened = (): string | null => {
  const id = lastOpened;
  lastOpened = null;
  return id;
};
