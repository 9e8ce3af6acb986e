import { useEffect, useId, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';

export interface MenuItem {
  label: string;
  /** The accessible name, when the label alone is ambiguous out of context ("Restart web"). */
  name?: string;
  disabled?: boolean;
  danger?: boolean;
  onSelect(): void;
}

/**
 * A WAI-ARIA menu button: Enter, Space or a click opens the menu on its first enabled item; Up/Down move
 * (wrapping), Home/End go to the ends, Enter/Space choose, Escape closes and gives focus back to the button, Tab
 * or a click elsewhere closes. The trigger leaves the arrow keys to its surroundings (a list row moves between
 * rows with them), which the pattern allows.
 *
 * The menu is drawn in a portal, fixed to the button's place: rows of a virtualized list are transformed and
 * clipped by their scroller, which would cut a menu drawn inside them. Scrolling or resizing closes it.
 */
export function MenuButton({ label, items, tabIndex, className }: { label: string; items: MenuItem[]; tabIndex?: number; className?: string }) {
  const [open, setOpen] = useState(false);
  const [place, setPlace] = useState<{ top: number; right: number } | null>(null);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const enabled = () => [...(menu.current?.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not(:disabled)') ?? [])];
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  // Placed and focused once per opening.
  useLayoutEffect(() => {
    if (!open || !button.current) return;
    const r = button.current.getBoundingClientRect();
    // Below the button, right-aligned with it; above it when the window's bottom is near.
    const below = r.bottom + 2;
    const height = menu.current?.offsetHeight ?? 0;
    setPlace({ top: below + height > window.innerHeight && r.top - height - 2 > 0 ? r.top - height - 2 : below, right: window.innerWidth - r.right });
    enabled()[0]?.focus();
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      const t = e.target as Node;
      if (!menu.current?.contains(t) && !button.current?.contains(t)) close(false);
    };
    const onMove = (e: Event) => {
      if (!menu.current?.contains(e.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onMove);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onMove);
    };
  }, [open]);

  const onMenuKeys = (e: KeyboardEvent) => {
    // The menu's keys are its own: the list around the button must not also move between rows.
    e.stopPropagation();
    if (e.key === 'Escape') {
      e.preventDefault();
      close(true);
      return;
    }
    if (e.key === 'Tab') return close(false);
    const list = enabled();
    const at = list.indexOf(document.activeElement as HTMLButtonElement);
    const next = { ArrowDown: (at + 1) % list.length, ArrowUp: (at - 1 + list.length) % list.length, Home: 0, End: list.length - 1 }[e.key];
    if (next === undefined || list.length === 0) return;
    e.preventDefault();
    list[next].focus();
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className={className}
        tabIndex={tabIndex}
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : setOpen(true))}
      >
        ⋯
      </button>
      {open
        ? createPortal(
            <div
              ref={menu}
              id={menuId}
              role="menu"
              aria-label={label}
              className="menu"
              style={{ position: 'fixed', top: place?.top ?? -9999, right: place?.right ?? 0 }}
              onKeyDown={onMenuKeys}
            >
              {items.map((item) => (
                <button
                  key={item.label}
                  type="button"
                  role="menuitem"
                  tabIndex={-1}
                  className={item.danger ? 'danger' : undefined}
                  disabled={item.disabled}
                  aria-label={item.name}
                  onClick={() => {
                    close(true);
                    item.onSelect();
                  }}
                >
                  {item.label}
                </button>
              ))}
            </div>,
            document.body,
          )
        : null}
    </>
  );
}
