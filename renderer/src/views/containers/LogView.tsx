import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { fixedRowLayout, useRowWindow } from '../../components/useRowWindow';
import { ErrorNote } from '../../components/ErrorNote';
import type { BerthError } from '../../../../electron/base/errors';
import { highlightParts, type LogBuffer } from './log-buffer';
import { saveText } from '../../connection/bridge';

const ROW = 18;

/** The log lines, virtualized: only the visible rows exist in the DOM, so 100k lines scroll like 100. */
export function LogView({
  buffer,
  version,
  name,
  error,
  ended,
  loading = false,
  extraTools,
}: {
  buffer: LogBuffer;
  version: number;
  name: string;
  error?: BerthError | null;
  ended?: boolean;
  /** History is on its way: say so rather than "0 lines". */
  loading?: boolean;
  extraTools?: ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [follow, setFollow] = useState(true);
  const [timestamps, setTimestamps] = useState(false);
  const [query, setQuery] = useState('');
  const [current, setCurrent] = useState(0);
  const [copied, setCopied] = useState(false);
  buffer.setQuery(query);
  const matchCount = buffer.matchCount;
  const count = buffer.length;

  const layout = useMemo(() => fixedRowLayout(count, ROW), [count]);
  // Following, the window is the tail by arithmetic; the scroll position is then set to match, after the commit.
  // No rows beyond the screen then: every batch replaces the text of every row, and laying out text is the cost
  // of a frame (the first wheel turn upwards stops following, and the overscan comes back).
  const rows = useRowWindow(scrollRef, layout, { overscan: follow ? 0 : 20, pinToEnd: follow });
  const { scrollToIndex } = rows;

  useEffect(() => {
    if (follow && count) scrollToIndex(count - 1, 'end');
  }, [version, follow, count, scrollToIndex]);

  const go = (delta: number) => {
    if (!matchCount) return;
    const next = (current + delta + matchCount) % matchCount;
    setCurrent(next);
    setFollow(false);
    scrollToIndex(buffer.matchAt(next), 'center');
  };
  const currentLine = matchCount ? buffer.matchAt(Math.min(current, matchCount - 1)) : -1;
  const q = buffer.query;

  const copy = async () => {
    await navigator.clipboard?.writeText(buffer.toText(timestamps)).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const download = () => saveText(`${name}.log`, buffer.toText(true));

  return (
    <div className="tabpanel">
      <div className="toolbar" role="toolbar" aria-label="Log tools">
        <input
          type="search"
          aria-label="Search logs"
          placeholder="Search logs"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setCurrent(0);
          }}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              go(e.shiftKey ? -1 : 1);
            }
          }}
        />
        <span aria-live="polite" className="muted">
          {query ? (matchCount ? `${Math.min(current, matchCount - 1) + 1} of ${matchCount}` : 'No matches') : loading && count === 0 ? 'Loading…' : `${count} lines`}
        </span>
        <button type="button" aria-label="Previous match" disabled={!matchCount} onClick={() => go(-1)}>
          ↑
        </button>
        <button type="button" aria-label="Next match" disabled={!matchCount} onClick={() => go(1)}>
          ↓
        </button>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <label>
          <input type="checkbox" checked={timestamps} onChange={(e) => setTimestamps(e.target.checked)} /> Timestamps
        </label>
        <button type="button" onClick={() => void copy()}>
          {copied ? 'Copied' : 'Copy'}
        </button>
        <button type="button" onClick={download}>
          Download
        </button>
        {extraTools}
        {ended ? <span className="muted">(the log stream ended)</span> : null}
      </div>
      <ErrorNote error={error} />
      <div
        className="logs"
        ref={scrollRef}
        role="log"
        aria-label={`Logs of ${name}`}
        aria-busy={loading && count === 0 ? true : undefined}
        onWheel={(e) => {
          if (e.deltaY < 0) setFollow(false);
        }}
      >
        {count === 0 ? (
          <p className="muted" style={{ padding: 12 }}>
            {loading ? 'Loading the log history…' : 'No output yet.'}
          </p>
        ) : null}
        <div style={{ height: rows.totalHeight, position: 'relative' }}>
          {/* One block moved to the window's first line; lines keyed by their place in it, so when the window moves
              (500 new lines while following) the same ~80 elements get new text instead of being replaced. */}
          <div style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${rows.offsetOf(rows.first)}px)` }}>
          {Array.from({ length: Math.max(0, rows.last - rows.first) }, (_, k) => {
            const i = rows.first + k;
            return (
              <div key={k} className="logline">
                {timestamps && buffer.timestamp(i) ? <span className="ts">{buffer.timestamp(i)}</span> : null}
                {highlightParts(buffer.text(i), q).map((p, j) =>
                  p.match ? (
                    <mark key={j} className={i === currentLine ? 'current' : undefined}>
                      {p.text}
                    </mark>
                  ) : (
                    <span key={j}>{p.text}</span>
                  ),
                )}
              </div>
            );
          })}
          </div>
        </div>
      </div>
    </div>
  );
}
