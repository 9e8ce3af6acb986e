// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeAgent, type FakeStream } from './test-fixtures';
import { closeSession, sessionTerminal, useTerminals } from '../../stores/terminals';
import { TerminalPanel } from './TerminalPanel';

const text = () => screen.getByTestId('terminal').querySelector('.xterm-rows')?.textContent ?? '';
/** Everything the session's xterm holds (its scrollback), as the user can scroll to it. */
function buffer(key: string): string {
  const b = sessionTerminal(key)!.buffer.active;
  return Array.from({ length: b.length }, (_, i) => b.getLine(i)?.translateToString(true) ?? '').join('\n');
}

describe('terminal sessions outlive the view that shows them', () => {
  let streams: FakeStream[];
  beforeEach(() => {
    streams = fakeAgent();
  });
  afterEach(() => {
    for (const s of useTerminals.getState().sessions) closeSession(s.key);
    useTerminals.setState({ sessions: [], active: {}, autoOpened: {} });
    cleanup();
  });

  it('a terminal survives a round trip through another view: same shell, same scrollback, no new exec', async () => {
    const first = render(<TerminalPanel id="c1" running />);
    expect(streams).toHaveLength(1);
    await act(() => streams[0].push({ data: 'marker-before-leaving\r\n' }));
    expect(text()).toContain('marker-before-leaving');
    first.unmount(); // the user goes to the Images view
    expect(streams[0].cancelled).toBe(false);
    await streams[0].push({ data: 'printed-while-away\r\n' });
    const xtermBefore = sessionTerminal(useTerminals.getState().sessions[0].key);
    render(<TerminalPanel id="c1" running />);
    expect(streams).toHaveLength(1);
    const key = useTerminals.getState().sessions[0].key;
    expect(sessionTerminal(key)).toBe(xtermBefore);
    expect(screen.getByTestId('terminal').contains(sessionTerminal(key)!.element!)).toBe(true);
    expect(buffer(key)).toContain('marker-before-leaving');
    expect(buffer(key)).toContain('printed-while-away');
    expect(text()).toContain('marker-before-leaving');
  });

  it('several sessions per container; closing one ends its shell only', async () => {
    render(<TerminalPanel id="c1" running />);
    fireEvent.click(screen.getByRole('button', { name: 'New terminal' }));
    expect(streams).toHaveLength(2);
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Shell 1', 'Shell 2']);
    fireEvent.click(screen.getByRole('button', { name: 'Close Shell 2' }));
    expect(streams[1].cancelled).toBe(true);
    expect(streams[0].cancelled).toBe(false);
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Shell 1']);
  });

  it('with no /bin/sh in the image it says so and offers the debug shell or another command', async () => {
    render(<TerminalPanel id="c2" running />);
    await act(async () => {
      await streams[0].push({ data: 'exec: "/bin/sh": stat /bin/sh: no such file or directory\r\n' });
      await streams[0].push({ exit: 127 });
    });
    expect(screen.getByRole('alert').textContent).toContain('has no /bin/sh');
    fireEvent.change(screen.getByRole('textbox', { name: 'Command to run' }), { target: { value: '/busybox/sh -l' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run command' }));
    expect(streams[1]).toMatchObject({ name: 'containers.exec', params: { id: 'c2', cmd: ['/busybox/sh', '-l'] } });
    await act(async () => {
      await streams[1].push({ data: 'exec: "/busybox/sh": no such file or directory\r\n' });
      await streams[1].push({ exit: 127 });
    });
    fireEvent.click(screen.getByRole('button', { name: 'Open a debug shell' }));
    expect(streams[2]).toMatchObject({ name: 'containers.debugShell', params: { id: 'c2' } });
  });
});
