import { create } from 'zustand';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import type { BerthError } from '../../../electron/base/errors';
import { agent } from '../connection/connection';

/** What the runtime prints when the command to exec does not exist in the image (exit 126/127). */
const MISSING_COMMAND = /no such file or directory|executable file not found|not found in \$PATH/i;

export type SessionKind = 'shell' | 'command' | 'debug';

/** One terminal session as views see it; its xterm and stream live outside React (see `runtimes`). */
export interface TerminalSession {
  key: string;
  containerId: string;
  kind: SessionKind;
  title: string;
  /** The command for kind 'command'. */
  cmd?: string[];
  exit: { code: number | null } | null;
  error: BerthError | null;
  /** The exec failed because the image lacks the command (no /bin/sh). */
  missing: boolean;
}

interface TerminalsState {
  sessions: TerminalSession[];
  /** Container id -> the session its Terminal tab shows. */
  active: Record<string, string>;
  /** Containers whose first shell was opened for the user: closing the last one must not open another. */
  autoOpened: Record<string, true>;
}

export const useTerminals = create<TerminalsState>(() => ({ sessions: [], active: {}, autoOpened: {} }));

/** A session's xterm, the element it renders into (moved between panels), and its stream. */
interface Runtime {
  term: Terminal;
  fit: FitAddon;
  element: HTMLDivElement;
  stream: { write(input: { data: string } | { resize: { cols: number; rows: number } }): void; cancel(): void } | null;
}

const runtimes = new Map<string, Runtime>();
let counter = 0;

function update(key: string, patch: Partial<TerminalSession>): void {
  useTerminals.setState((s) => ({ sessions: s.sessions.map((x) => (x.key === key ? { ...x, ...patch } : x)) }));
}

/** A new session for a container, shown at once; its shell starts when a panel first shows it. */
export function openSession(containerId: string, kind: SessionKind, cmd?: string[]): string {
  const key = `t${++counter}`;
  const n = useTerminals.getState().sessions.filter((s) => s.containerId === containerId).length + 1;
  const title = kind === 'debug' ? `Debug ${n}` : kind === 'command' ? (cmd?.[0] ?? 'command') : `Shell ${n}`;
  useTerminals.setState((s) => ({
    sessions: [...s.sessions, { key, containerId, kind, title, ...(cmd ? { cmd } : {}), exit: null, error: null, missing: false }],
    active: { ...s.active, [containerId]: key },
    autoOpened: { ...s.autoOpened, [containerId]: true },
  }));
  return key;
}

export function selectSession(containerId: string, key: string): void {
  useTerminals.setState((s) => ({ active: { ...s.active, [containerId]: key } }));
}

/** Ends the shell and forgets the session: the only way a session goes (changing views keeps it). */
export function closeSession(key: string): void {
  const rt = runtimes.get(key);
  runtimes.delete(key);
  rt?.stream?.cancel();
  rt?.term.dispose();
  rt?.element.remove();
  useTerminals.setState((s) => {
    const closed = s.sessions.find((x) => x.key === key);
    const sessions = s.sessions.filter((x) => x.key !== key);
    const active = { ...s.active };
    if (closed && active[closed.containerId] === key) {
      const next = sessions.filter((x) => x.containerId === closed.containerId).at(-1);
      if (next) active[closed.containerId] = next.key;
      else delete active[closed.containerId];
    }
    return { sessions, active };
  });
}

/** The session's xterm, for copy and paste. */
export function sessionTerminal(key: string): Terminal | null {
  return runtimes.get(key)?.term ?? null;
}

/**
 * Shows a session in `host`: the first time, opens its xterm there and starts its shell at the panel's size;
 * later, moves the same xterm (scrollback, stream and all) back in. Returns the detach.
 */
export function attachSession(key: string, host: HTMLElement): () => void {
  const session = useTerminals.getState().sessions.find((s) => s.key === key);
  if (!session) return () => undefined;
  let rt = runtimes.get(key);
  if (!rt) {
    const element = document.createElement('div');
    element.className = 'term-session';
    host.appendChild(element);
    const term = new Terminal({ cursorBlink: true, fontSize: 13, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(element);
    rt = { term, fit, element, stream: null };
    runtimes.set(key, rt);
    fitQuietly(rt);
    rt.stream = startStream(session, term);
    term.onData((data) => runtimes.get(key)?.stream?.write({ data }));
    term.onResize(({ cols, rows }) => runtimes.get(key)?.stream?.write({ resize: { cols, rows } }));
    term.attachCustomKeyEventHandler(clipboardKeys(term));
  } else {
    host.appendChild(rt.element);
    fitQuietly(rt);
    // What arrived while it was out of the page is in its buffer: draw it now.
    rt.term.refresh(0, rt.term.rows - 1);
  }
  const runtime = rt;
  const observer = new ResizeObserver(() => fitQuietly(runtime));
  observer.observe(host);
  return () => {
    observer.disconnect();
    // Out of the page but alive: output keeps arriving into its buffer while another view shows.
    if (runtime.element.parentElement === host) host.removeChild(runtime.element);
  };
}

function startStream(session: TerminalSession, term: Terminal): Runtime['stream'] {
  let head = '';
  const size = { cols: Math.max(2, term.cols), rows: Math.max(2, term.rows) };
  const handlers = {
    onItem: (item: { data: string } | { exit: number | null }) =>
      new Promise<void>((resolve) => {
        if ('data' in item) {
          if (head.length < 2000) head += item.data;
          term.write(item.data, resolve);
        } else {
          const missing = (item.exit === 126 || item.exit === 127) && MISSING_COMMAND.test(head);
          update(session.key, { exit: { code: item.exit }, missing });
          resolve();
        }
      }),
    onEnd: (err?: BerthError) => {
      if (err && err.code !== 'cancelled') update(session.key, { error: err });
    },
  };
  if (session.kind === 'debug') return agent().open('containers.debugShell', { id: session.containerId, ...size }, handlers);
  return agent().open('containers.exec', { id: session.containerId, ...size, ...(session.cmd ? { cmd: session.cmd } : {}) }, handlers);
}

function fitQuietly(rt: Runtime): void {
  try {
    rt.fit.fit();
  } catch {
    /* not laid out (hidden); the observer fits it once it is */
  }
}

/** Ctrl+Shift+C / Ctrl+Shift+V: copy and paste without sending ^C / ^V to the shell. */
function clipboardKeys(term: Terminal): (e: KeyboardEvent) => boolean {
  return (e) => {
    if (e.type !== 'keydown' || !e.ctrlKey || !e.shiftKey) return true;
    if (e.code === 'KeyC') {
      void navigator.clipboard?.writeText(term.getSelection());
      return false;
    }
    if (e.code === 'KeyV') {
      void navigator.clipboard?.readText().then((t) => term.paste(t));
      return false;
    }
    return true;
  };
}
