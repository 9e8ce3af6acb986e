import { useEffect, useMemo, useReducer, useRef, useState } from 'react';
import type { BerthError } from '../../../../electron/base/errors';
import { agent } from '../../connection/connection';
import { ErrorNote } from '../../components/ErrorNote';
import { frameBatcher } from '../../stores/frame-batcher';
import type { ComposeLogLine } from '../../../../electron/contract/contract';
import { colourClass, ProjectLog, shortTime } from './project-log';

/** The DOM holds at most this many of the matching lines (the newest); the count says how many match. */
const SHOWN = 2000;

/**
 * One log view across a project's services: the lines interleaved in time order (the agent merges them), each
 * tagged and coloured by its service, with a filter per service and a search. Follows live; `generation`
 * reopens the stream (after Up or Restart, when new containers log).
 */
export function ProjectLogs({ file, services, generation }: { file: string; services: string[]; generation: number }) {
  const log = useMemo(() => new ProjectLog(), [file, generation]);
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  const [error, setError] = useState<BerthError | null>(null);
  const [hidden, setHidden] = useState<Set<string>>(new Set());
  const [query, setQuery] = useState('');
  const [follow, setFollow] = useState(true);
  const scrollRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    setError(null);
    const batcher = frameBatcher<ComposeLogLine[]>((batches) => {
      for (const b of batches) log.append(b);
      bump();
    });
    const h = agent().open(
      'compose.logs',
      { file, follow: true, tail: 1000 },
      {
        onItem: (b) => batcher.push(b.lines),
        onEnd: (err) => {
          if (err && err.code !== 'cancelled') setError(err);
        },
      },
      { window: 16 },
    );
    return () => {
      h.cancel();
      batcher.cancel();
    };
  }, [file, log]);

  const matching = useMemo(() => log.visible(hidden, query), [log, version, hidden, query]);
  const shown = matching.slice(-SHOWN);
  useEffect(() => {
    const el = scrollRef.current;
    if (follow && el) el.scrollTop = el.scrollHeight;
  }, [shown.length, version, follow]);

  const toggle = (service: string) =>
    setHidden((h) => {
      const next = new Set(h);
      if (next.has(service)) next.delete(service);
      else next.add(service);
      return next;
    });

  return (
    <section className="compose-logs" aria-label="Project logs">
      <div className="toolbar" role="toolbar" aria-label="Log tools">
        <input type="search" aria-label="Search logs" placeholder="Search logs" value={query} onChange={(e) => setQuery(e.target.value)} />
        <fieldset className="service-filter">
          <legend>Services</legend>
          {services.map((s) => (
            <label key={s} className={colourClass(s, services)}>
              <input type="checkbox" checked={!hidden.has(s)} onChange={() => toggle(s)} /> {s}
            </label>
          ))}
        </fieldset>
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow
        </label>
        <span className="muted" aria-live="polite">
          {matching.length === log.length ? `${log.length} lines` : `${matching.length} of ${log.length} lines`}
        </span>
      </div>
      <ErrorNote error={error} />
      <div className="compose-log-lines" ref={scrollRef} role="log" aria-label="Log lines">
        {shown.map((l, i) => (
          <div key={`${l.time}-${i}`} className="log-line" data-service={l.service}>
            <span className="log-time">{shortTime(l.time)}</span>
            <span className={`log-service ${colourClass(l.service, services)}`}>{l.service}</span>
            <span className="log-text">{l.text}</span>
          </div>
        ))}
        {!log.length ? <p className="muted">No log lines yet.</p> : null}
      </div>
    </section>
  );
}
