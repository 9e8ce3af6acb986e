// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { StatusBar } from './StatusBar';
import { useStatus } from '../stores/status';
import { setConnection, useConnection, type AgentConnection } from '../connection/connection';
import { useVmControl } from '../stores/vm-control';

/**
 * Records what the buttons ask the agent for (the calls themselves run on a real VM in
 * electron/agent/routes/vm-control.vm.test.ts); each request stays pending until the test settles it.
 */
function recordingAgent() {
  const asked: string[] = [];
  let settle: (err?: Error) => void = () => undefined;
  const pending = () =>
    new Promise<null>((resolve, reject) => {
      settle = (err) => (err ? reject(err) : resolve(null));
    });
  const conn = {
    call: (method: string) => (asked.push(method), pending()),
    open: (name: string, _p: unknown, h: { onItem(i: unknown): void }) => {
      asked.push(name);
      h.onItem({ stage: 'stopping', percent: 0, detail: 'stopping the VM cleanly' });
      return { done: pending(), write: () => undefined, cancel: () => undefined };
    },
  };
  setConnection(conn as unknown as AgentConnection);
  return { asked, settle: (err?: Error) => act(() => settle(err)) };
}

afterEach(cleanup);

describe('the status bar', () => {
  it('shows the agent connection, the VM stage and percent while starting, then the engine', () => {
    useConnection.setState({ state: 'open', attempt: 0 });
    useStatus.setState({ status: { vm: { state: 'starting', stage: 'kernel', percent: 40 }, engine: { state: 'unavailable' } } });
    render(<StatusBar />);
    expect(screen.getByTestId('agent-status').textContent).toBe('Agent connected');
    expect(screen.getByTestId('vm-status').textContent).toBe('VM starting: kernel 40%');
    expect(screen.getByRole('progressbar', { name: 'VM start progress' }).getAttribute('value')).toBe('40');
    act(() => useStatus.setState({ status: { vm: { state: 'running', accel: 'tcg', since: 0 }, engine: { state: 'ready', version: '26.1.5', apiVersion: '1.45' } } }));
    expect(screen.getByTestId('vm-status').textContent).toBe('VM running (tcg)');
    expect(screen.getByTestId('engine-status').textContent).toBe('Engine 26.1.5');
    expect(screen.queryByRole('progressbar')).toBeNull();
  });

  it('says when Resource Saver paused the VM, and its button pauses or wakes it', () => {
    useConnection.setState({ state: 'open', attempt: 0 });
    const rec = recordingAgent();
    const ready = { state: 'ready' as const, version: '26.1.5', apiVersion: '1.45' };
    useStatus.setState({ status: { vm: { state: 'running', accel: 'tcg', since: 0 }, engine: ready } });
    render(<StatusBar />);
    fireEvent.click(screen.getByTestId('saver-toggle'));
    expect(rec.asked).toEqual(['vm.pause']);
    act(() => useStatus.setState({ status: { vm: { state: 'running', accel: 'tcg', since: 0, paused: true }, engine: ready } }));
    expect(screen.getByTestId('vm-status').textContent).toBe('VM paused (Resource Saver)');
    expect(screen.getByTestId('saver-toggle').textContent).toBe('Wake');
    fireEvent.click(screen.getByTestId('saver-toggle'));
    expect(rec.asked).toEqual(['vm.pause', 'vm.wake']);
  });

  it('warns of a full or nearly full data disk with what to do, and links to the Disk view', () => {
    useConnection.setState({ state: 'open', attempt: 0 });
    const running = { vm: { state: 'running' as const, accel: 'tcg', since: 0 }, engine: { state: 'ready' as const, version: '26.1.5', apiVersion: '1.45' } };
    const G = 2 ** 30;
    useStatus.setState({ status: { ...running, disk: { usedBytes: 2 * G, sizeBytes: 8 * G, level: 'ok' } } });
    render(<StatusBar />);
    expect(screen.queryByTestId('disk-warning')).toBeNull();
    const hint = 'The data disk is full (7.8 of 8.0 GiB used): remove unused images';
    act(() => useStatus.setState({ status: { ...running, disk: { usedBytes: 7.8 * G, sizeBytes: 8 * G, level: 'full', hint } } }));
    const warning = screen.getByTestId('disk-warning');
    expect(warning.textContent).toBe('Data disk full (7.8 of 8.0 GiB)');
    expect(warning.getAttribute('title')).toBe(hint);
    expect(warning.getAttribute('href')).toBe('#/disk');
    act(() => useStatus.setState({ status: { ...running, disk: { usedBytes: 7.3 * G, sizeBytes: 8 * G, level: 'nearly-full', hint } } }));
    expect(screen.getByTestId('disk-warning').textContent).toBe('Data disk nearly full (7.3 of 8.0 GiB)');
  });

  it('offers to start a stopped VM and says when the agent is away', () => {
    useConnection.setState({ state: 'retrying', attempt: 3 });
    useStatus.setState({ status: { vm: { state: 'stopped' }, engine: { state: 'unavailable' } } });
    render(<StatusBar />);
    expect(screen.getByTestId('agent-status').textContent).toBe('Agent unreachable, retrying (attempt 3)');
    expect(screen.getByRole('button', { name: 'Start VM' })).toBeTruthy();
  });

  it('Stop and Restart call vm.stop and vm.restart; a restart shows its stopping step; a failure is shown', async () => {
    useConnection.setState({ state: 'open', attempt: 0 });
    useVmControl.setState({ busy: null, progress: null, error: null });
    useStatus.setState({ status: { vm: { state: 'running', accel: 'tcg', since: 0 }, engine: { state: 'ready', version: '26.1.5', apiVersion: '1.45' } } });
    const agent = recordingAgent();
    render(<StatusBar />);
    fireEvent.click(screen.getByRole('button', { name: 'Stop VM' }));
    expect(agent.asked).toEqual(['vm.stop']);
    expect(screen.getByRole('button', { name: 'Stopping…' })).toHaveProperty('disabled', true);
    await agent.settle();
    fireEvent.click(screen.getByRole('button', { name: 'Restart VM' }));
    expect(agent.asked).toEqual(['vm.stop', 'vm.restart']);
    expect(screen.getByTestId('vm-status').textContent).toBe('VM restarting: stopping');
    await agent.settle(Object.assign(new Error('The VM did not stop'), { hint: 'See berth logs.' }));
    expect(screen.getByRole('alert').textContent).toContain('The VM did not stop');
    act(() => useStatus.setState({ status: { vm: { state: 'stopped' }, engine: { state: 'unavailable' } } }));
    fireEvent.click(screen.getByRole('button', { name: 'Start VM' }));
    expect(agent.asked).toEqual(['vm.stop', 'vm.restart', 'vm.start']);
    await agent.settle();
  });
});
