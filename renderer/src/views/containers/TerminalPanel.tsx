import { useEffect, useRef, useState } from 'react';
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import '@xterm/xterm/css/xterm.css';
import { agent } from '../../connection/connection';
import { ErrorNote } from '../../components/ErrorNote';
import type { BerthError } from '../../../../electron/base/errors';
import { splitCommand } from '../../../../electron/contract/run-spec';

/** What the runtime prints when the command to exec does not exist in the image (exit 126/127). */
const MISSING_COMMAND = /no such file or directory|executable file not found|not found in \$PATH/i;

function keyboardOnTab(): boolean {
  const active = document.activeElement;
  if (active?.getAttribute('role') !== 'tab') return false;
  try {
    return active.matches(':focus-visible');
  } catch {
    return true; // no :focus-visible support: keep focus where the user put it
  }
}

/** Offered when the image has no /bin/sh: another command to open (e.g. /busybox/sh), typed by the user. */
function OtherCommand({ tried, onRun }: { tried: string; onRun(cmd: string[]): void }) {
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
        This container has no <code>{tried}</code> to open a shell with (a minimal image). Run another command:
      </span>{' '}
      <input aria-label="Command to run" placeholder="e.g. /busybox/sh or /bin/bash" value={text} onChange={(e) => setText(e.target.value)} autoFocus />{' '}
      <button type="submit" className="primary" disabled={!cmd?.length}>
        Run command
      </button>
    </form>
  );
}

/**
 * A shell in the container on xterm.js. Keystrokes go up the exec stream as input; output comes down as items;
 * the panel's size follows its box (fit addon) and the exec's TTY is resized to match.
 */
export function TerminalPanel({ id, running }: { id: string; running: boolean }) {
  const host = useRef<HTMLDivElement>(null);
  const termRef = useRef<Terminal | null>(null);
  const [session, setSession] = useState(0);
  const [exit, setExit] = useState<{ code: number | null } | null>(null);
  const [error, setError] = useState<BerthError | null>(null);
  // undefined: the default shell (bash, else sh); set when the user chose another command.
  const [command, setCommand] = useState<string[] | undefined>(undefined);
  const [missing, setMissing] = useState(false);

  useEffect(() => {
    if (!running || !host.current) return;
    setExit(null);
    setError(null);
    setMissing(false);
    let head = '';
    const term = new Terminal({ cursorBlink: true, fontSize: 13, fontFamily: 'ui-monospace, "DejaVu Sans Mono", monospace', scrollback: 5000 });
    const fit = new FitAddon();
    term.loadAddon(fit);
    term.open(host.current);
    termRef.current = term;
    try {
      fit.fit();
    } catch {
      /* not laid out yet; the observer fits it */
    }
    const stream = agent().open(
      'containers.exec',
      { id, cols: Math.max(2, term.cols), rows: Math.max(2, term.rows), ...(command ? { cmd: command } : {}) },
      {
        onItem: (item) =>
          new Promise<void>((resolve) => {
            if ('data' in item) {
              if (head.length < 2000) head += item.data;
              term.write(item.data, resolve);
            } else {
              setMissing((item.exit === 126 || item.exit === 127) && MISSING_COMMAND.test(head));
              setExit({ code: item.exit });
              resolve();
            }
          }),
        onEnd: (err) => {
          if (err && err.code !== 'cancelled') setError(err);
        },
      },
    );
    const input = term.onData((data) => stream.write({ data }));
    const resize = term.onResize(({ cols, rows }) => stream.write({ resize: { cols, rows } }));
    // Ctrl+Shift+C / Ctrl+Shift+V: copy and paste without sending ^C / ^V to the shell.
    term.attachCustomKeyEventHandler((e) => {
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
    });
    const observer = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        /* hidden */
      }
    });
    observer.observe(host.current);
    // Ready to type, unless the user is moving through the tabs by keyboard (the tab keeps focus then).
    if (!keyboardOnTab()) term.focus();
    return () => {
      observer.disconnect();
      input.dispose();
      resize.dispose();
      stream.cancel();
      term.dispose();
      termRef.current = null;
    };
  }, [id, running, session, command]);

  if (!running) {
    return (
      <div className="term-note" role="status">
        The container is not running: start it to open a shell.
      </div>
    );
  }
  return (
    <div className="tabpanel">
      <div className="toolbar" role="toolbar" aria-label="Terminal tools">
        <button type="button" onClick={() => void navigator.clipboard?.writeText(termRef.current?.getSelection() ?? '')}>
          Copy selection
        </button>
        <button
          type="button"
          onClick={() =>
            void navigator.clipboard?.readText().then((t) => {
              termRef.current?.paste(t);
              termRef.current?.focus();
            })
          }
        >
          Paste
        </button>
        <span className="muted">Ctrl+Shift+C / Ctrl+Shift+V</span>
      </div>
      <ErrorNote error={error} />
      {exit && missing ? (
        <OtherCommand
          tried={command?.join(' ') ?? '/bin/sh'}
          onRun={(cmd) => {
            setCommand(cmd);
            setSession((s) => s + 1);
          }}
        />
      ) : null}
      {exit ? (
        <div className="term-note" role="status">
          <span>
            The {command ? 'command' : 'shell'} exited{exit.code !== null ? ` with code ${exit.code}` : ''}.
          </span>
          <button type="button" className="primary" onClick={() => setSession((s) => s + 1)}>
            Start a new shell
          </button>
        </div>
      ) : null}
      <div className="term" ref={host} aria-label="Terminal" data-testid="terminal" />
    </div>
  );
}
