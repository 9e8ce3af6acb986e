import { useEffect, useRef, useState } from 'react';
import '@xterm/xterm/css/xterm.css';
import { ErrorNote } from '../../components/ErrorNote';
import { splitCommand } from '../../../../electron/contract/run-spec';
import { attachSession, closeSession, openSession, selectSession, sessionTerminal, useTerminals, type TerminalSession } from '../../stores/terminals';

function keyboardOnTab(): boolean {
  const active = document.activeElement;
  if (active?.getAttribute('role') !== 'tab') return false;
  try {
    return active.matches(':focus-visible');
  } catch {
    return true; // no :focus-visible support: keep focus where the user put it
  }
}

/** Offered when the image has no /bin/sh: another command to open (e.g. /busybox/sh), or the debug shell. */
function OtherCommand({ tried, onRun, onDebug }: { tried: string; onRun(cmd: string[]): void; onDebug(): void }) {
  const [text, setText] = useState('');
  const cmd = splitCommand(text.trim());
  return (
    <form
      className="term-note"
      role="alert"
      onSubmit={(e) => {
        e.preventDefault();
        if (cmd?.length) onRun(cmd);
      }}
    >
      <span>
        This container has no <code>{tried}</code> to open a shell with (a minimal image). Open a debug shell (busybox
        tools beside it, its files under /proc/1/root), or run another command:
      </span>{' '}
      <button type="button" className="primary" onClick={onDebug}>
        Open a debug shell
      </button>{' '}
      <input aria-label="Command to run" placeholder="e.g. /busybox/sh or /bin/bash" value={text} onChange={(e) => setText(e.target.value)} autoFocus />{' '}
      <button type="submit" disabled={!cmd?.length}>
        Run command
      </button>
    </form>
  );
}

/** The shown session's xterm, moved into this box while the panel shows it (it lives on in the store). */
function SessionView({ session }: { session: TerminalSession }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const detach = attachSession(session.key, host.current);
    // Ready to type, unless the user is moving through the tabs by keyboard (the tab keeps focus then).
    if (!keyboardOnTab()) sessionTerminal(session.key)?.focus();
    return detach;
  }, [session.key]);
  return <div className="term" ref={host} aria-label="Terminal" data-testid="terminal" />;
}

/**
 * Terminals into the container on xterm.js: several sessions, each kept (with its scrollback and its shell)
 * while the user looks at other tabs and views, until closed. The first opens by itself.
 */
export function TerminalPanel({ id, running }: { id: string; running: boolean }) {
  const sessions = useTerminals((s) => s.sessions).filter((s) => s.containerId === id);
  const activeKey = useTerminals((s) => s.active[id]);
  const autoOpened = useTerminals((s) => !!s.autoOpened[id]);
  const active = sessions.find((s) => s.key === activeKey) ?? sessions.at(-1);

  useEffect(() => {
    if (running && !autoOpened) openSession(id, 'shell');
  }, [id, running, autoOpened]);

  if (!running && sessions.length === 0) {
    return (
      <div className="term-note" role="status">
        The container is not running: start it to open a shell.
      </div>
    );
  }
  const term = () => (active ? sessionTerminal(active.key) : null);
  const noun = active?.kind === 'command' ? 'command' : active?.kind === 'debug' ? 'debug shell' : 'shell';
  return (
    <div className="tabpanel">
      <div className="toolbar" role="toolbar" aria-label="Terminal tools">
        <div className="term-tabs" role="tablist" aria-label="Terminal sessions">
          {sessions.map((s) => (
            <span key={s.key}>
              <button type="button" role="tab" aria-selected={s.key === active?.key} onClick={() => selectSession(id, s.key)}>
                {s.title}
                {s.exit ? ' (ended)' : ''}
              </button>
              <button type="button" aria-label={`Close ${s.title}`} title="Close (ends its shell)" onClick={() => closeSession(s.key)}>
                ×
              </button>
            </span>
          ))}
        </div>
        <button type="button" disabled={!running} onClick={() => openSession(id, 'shell')}>
          New terminal
        </button>
        <button type="button" disabled={!running} title="Busybox tools in the container's PID and network namespaces, for images without a shell" onClick={() => openSession(id, 'debug')}>
          Debug shell
        </button>
        <span className="spacer" />
        <button type="button" onClick={() => void navigator.clipboard?.writeText(term()?.getSelection() ?? '')}>
          Copy selection
        </button>
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.readText().then((t) => {
              term()?.paste(t);
              term()?.focus();
            })
          }
        >
          Paste
        </button>
        <span className="muted">Ctrl+Shift+C / Ctrl+Shift+V</span>
      </div>
      {active ? <ErrorNote error={active.error} /> : null}
      {active?.exit && active.missing ? (
        <OtherCommand
          tried={active.cmd?.join(' ') ?? '/bin/sh'}
          onRun={(cmd) => {
            closeSession(active.key);
            openSession(id, 'command', cmd);
          }}
          onDebug={() => {
            closeSession(active.key);
            openSession(id, 'debug');
          }}
        />
      ) : null}
      {active?.exit ? (
        <div className="term-note" role="status">
          <span>
            The {noun} exited{active.exit.code !== null ? ` with code ${active.exit.code}` : ''}.
          </span>
          <button
            type="button"
            className="primary"
            disabled={!running}
            onClick={() => {
              closeSession(active.key);
              openSession(id, active.kind, active.cmd);
            }}
          >
            Start a new {noun}
          </button>
        </div>
      ) : null}
      {!running ? (
        <div className="term-note" role="status">
          The container is not running: these sessions have ended.
        </div>
      ) : null}
      {active ? <SessionView key={active.key} session={active} /> : null}
    </div>
  );
}
