import { useCallback, useEffect, useState, type RefObject } from 'react';

/**
 * Windowing for rows of one fixed height: the visible range is arithmetic on scrollTop, so the cost of a render
 * does not grow with the number of rows (a generic virtualizer re-measures all 100k log lines when more arrive).
 */
export function useFixedRows(ref: RefObject<HTMLElement | null>, count: number, rowHeight: number, overscan = 20) {
  const [viewport, setViewport] = useState({ top: 0, height: 600 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const update = () => setViewport({ top: el.scrollTop, height: el.clientHeight });
    update();
    el.addEventListener('scroll', update, { passive: true });
    const ro = new ResizeObserver(update);
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', update);
      ro.disconnect();
    };
  }, [ref]);
  const first = Math.max(0, Math.floor(viewport.top / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((viewport.top + viewport.height) / rowHeight) + overscan);
  const scrollToIndex = useCallback(
    (index: number, align: 'center' | 'end') => {
      const el = ref.current;
      if (!el) return;
      const target = align === 'end' ? (index + 1) * rowHeight - el.clientHeight : index * rowHeight - el.clientHeight / 2 + rowHeight / 2;
      el.scrollTop = Math.max(0, target);
    },
    [ref, rowHeight],
  );
  return { first, last, totalHeight: count * rowHeight, scrollToIndex };
}
