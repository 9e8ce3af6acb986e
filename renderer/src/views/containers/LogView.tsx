import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useFixedRows } from '../../components/useFixedRows';
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
  const matches = buffer.matches;
  const count = buffer.length;

  const rows = useFixedRows(scrollRef, count, ROW);
  const { scrollToIndex } = rows;

  useEffect(() => {
    if (follow && count) scrollToIndex(count - 1, 'end');
  }, [version, follow, count, scrollToIndex]);

  const go = (delta: number) => {
    if (!matches.length) return;
    const next = (current + delta + matches.length) % matches.length;
    setCurrent(next);
    setFollow(false);
    scrollToIndex(matches[next], 'center');
  };
  const currentLine = matches.length ? matches[Math.min(current, matches.length - 1)] : -1;
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
          {query ? (matches.length ? `${Math.min(current, matches.length - 1) + 1} of ${matches.length}` : 'No matches') : loading && count === 0 ? 'Loading…' : `${count} lines`}
        </span>
        <button type="button" aria-label="Previous match" disabled={!matches.length} onClick={() => go(-1)}>
          ↑
        </button>
        <button type="button" aria-label="Next match" disabled={!matches.length} onClick={() => go(1)}>
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
          {Array.from({ length: Math.max(0, rows.last - rows.first) }, (_, k) => {
            const i = rows.first + k;
            return (
              <div key={i} className="logline" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${i * ROW}px)` }}>
                {timestamps && buffer.timestamps[i] ? <span className="ts">{buffer.timestamps[i]}</span> : null}
                {highlightParts(buffer.texts[i] ?? '', q).map((p, j) =>
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
  );
}
