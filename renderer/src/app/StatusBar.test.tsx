// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { act, cleanup, render, screen } from '@testing-library/react';
import { StatusBar } from './StatusBar';
import { useStatus } from '../stores/status';
import { useConnection } from '../connection/connection';

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

  it('offers to start a stopped VM and says when the agent is away', () => {
    useConnection.setState({ state: 'retrying', attempt: 3 });
    useStatus.setState({ status: { vm: { state: 'stopped' }, engine: { state: 'unavailable' } } });
    render(<StatusBar />);
    expect(screen.getByTestId('agent-status').textContent).toBe('Agent unreachable, retrying (attempt 3)');
    expect(screen.getByRole('button', { name: 'Start VM' })).toBeTruthy();
  });
});
