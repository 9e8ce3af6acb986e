import { useCallback, useEffect, useMemo, useRef, useState, type RefObject } from 'react';

/** Where rows sit, known without measuring the DOM: the window is arithmetic on scrollTop. */
export interface RowLayout {
  count: number;
  totalHeight: number;
  offsetOf(index: number): number;
  heightOf(index: number): number;
  /** The row at this y (clamped to the list). */
  indexAt(y: number): number;
}

/** Rows of one height (log lines): O(1) whatever the count, so 500k lines cost what 50 do. */
export function fixedRowLayout(count: number, rowHeight: number): RowLayout {
  return {
    count,
    totalHeight: count * rowHeight,
    offsetOf: (i) => i * rowHeight,
    heightOf: () => rowHeight,
    indexAt: (y) => Math.min(Math.max(0, count - 1), Math.max(0, Math.floor(y / rowHeight))),
  };
}

/** Rows of a few known heights (containers, notes under them): prefix sums once per list, a binary search per look-up. */
export function knownRowLayout(heights: readonly number[]): RowLayout {
  const offsets = new Float64Array(heights.length + 1);
  for (let i = 0; i < heights.length; i++) offsets[i + 1] = offsets[i] + heights[i];
  return {
    count: heights.length,
    totalHeight: offsets[heights.length],
    offsetOf: (i) => offsets[i],
    heightOf: (i) => heights[i],
    indexAt: (y) => {
      let lo = 0;
      let hi = Math.max(0, heights.length - 1);
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (offsets[mid] <= y) lo = mid;
        else hi = mid - 1;
      }
      return lo;
    },
  };
}

export type ScrollAlign = 'auto' | 'center' | 'end';

/**
 * Windowing without reading layout while React renders or commits: the first render assumes the window's
 * height (so it mounts one screenful, nothing more), then the real height arrives from a ResizeObserver (after
 * layout, for free) and the offset from scroll events. `pinToEnd` (a log that follows) windows the tail
 * directly, so following new lines costs one render per batch, not a render, a scroll, and another render.
 */
export function useRowWindow(
  ref: RefObject<HTMLElement | null>,
  layout: RowLayout,
  /** `stickyHead`: the height of a sticky header above the rows, inside the scroller (it covers the rows' top). */
  opts: { overscan: number; pinToEnd?: boolean; stickyHead?: number },
) {
  const head = opts.stickyHead ?? 0;
  const [viewport, setViewport] = useState(() => ({
    top: 0,
    height: typeof window === 'undefined' ? 800 : window.innerHeight,
  }));
  const heightRef = useRef(viewport.height);
  heightRef.current = viewport.height;
  // While pinned, the scroll events that following causes change nothing on screen: skip their re-render.
  const pinnedRef = useRef(!!opts.pinToEnd);
  pinnedRef.current = !!opts.pinToEnd;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const set = (top: number, height: number) =>
      setViewport((v) => (v.top === top && v.height === height ? v : { top, height }));
    const onScroll = () => {
      if (!pinnedRef.current) set(el.scrollTop, heightRef.current);
    };
    // Some environments (happy-dom) report a zero-sized box: keep the estimate rather than show no rows.
    const ro = new ResizeObserver((entries) => {
      const h = entries[entries.length - 1]?.contentRect.height;
      if (h) set(el.scrollTop, h);
    });
    el.addEventListener('scroll', onScroll, { passive: true });
    ro.observe(el);
    return () => {
      el.removeEventListener('scroll', onScroll);
      ro.disconnect();
    };
  }, [ref]);

  // Unpinned (Follow unticked): window from where the scroller really is, not where it was when pinning began.
  // Only on that change: reading scrollTop on mount would force a layout inside the first render.
  const wasPinned = useRef(!!opts.pinToEnd);
  useEffect(() => {
    const el = ref.current;
    if (el && wasPinned.current && !opts.pinToEnd)
      setViewport((v) => (v.top === el.scrollTop ? v : { top: el.scrollTop, height: v.height }));
    wasPinned.current = !!opts.pinToEnd;
  }, [ref, opts.pinToEnd]);

  const top = opts.pinToEnd
    ? Math.max(0, layout.totalHeight + head - viewport.height)
    : Math.max(0, viewport.top - head);
  const first = layout.count ? Math.max(0, layout.indexAt(top) - opts.overscan) : 0;
  const last = layout.count
    ? Math.min(layout.count, layout.indexAt(top + viewport.height) + 1 + opts.overscan)
    : 0;

  const layoutRef = useRef(layout);
  layoutRef.current = layout;
  const scrollToIndex = useCallback(
    (index: number, align: ScrollAlign) => {
      const el = ref.current;
      const l = layoutRef.current;
      if (!el || index < 0 || index >= l.count) return;
      const height = heightRef.current;
      const start = l.offsetOf(index);
      const end = start + l.heightOf(index);
      let target: number;
      // Row y in the scroller is head + offset; the sticky head hides the scroller's first `head` pixels.
      if (align === 'end') target = head + end - height;
      else if (align === 'center') target = head + start + l.heightOf(index) / 2 - (head + height) / 2;
      else if (start < el.scrollTop) target = start;
      else if (head + end > el.scrollTop + height) target = head + end - height;
      else return;
      el.scrollTop = Math.max(0, target);
      // The window follows now, not at the next scroll event: a held arrow key (or a slow frame) must find the
      // next row already mounted. (While pinned the window is the tail anyway.)
      if (!pinnedRef.current) {
        const top = el.scrollTop;
        setViewport((v) => (v.top === top ? v : { top, height: v.height }));
      }
    },
    [ref, head],
  );
  return useMemo(
    () => ({ first, last, totalHeight: layout.totalHeight, offsetOf: layout.offsetOf, scrollToIndex }),
    [first, last, layout, scrollToIndex],
  );
}
