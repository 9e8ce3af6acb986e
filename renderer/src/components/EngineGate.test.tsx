// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { useConnection } from '../connection/connection';
import { useStatus } from '../stores/status';
import { EngineGate } from './EngineGate';

afterEach(() => {
  cleanup();
  useStatus.setState({ status: null });
});

describe('the engine gate while the VM boots', () => {
  it('shows the boot stage and progress instead of "not running", and the list once the engine is ready', () => {
    useConnection.setState({ state: 'open', attempt: 0 });
    useStatus.setState({ status: { vm: { state: 'stopped' }, engine: { state: 'unavailable' } } });
    const { rerender } = render(
      <EngineGate loaded ready={false} what="containers">
        <p>the list</p>
      </EngineGate>,
    );
    expect(screen.getByText('The engine is not running')).toBeTruthy();
    act(() => useStatus.setState({ status: { vm: { state: 'starting', stage: 'kernel', percent: 40, detail: 'booting Linux' }, engine: { state: 'unavailable' } } }));
    expect(screen.getByText('Starting the engine…')).toBeTruthy();
    expect(screen.getByText('kernel — 40% (booting Linux)')).toBeTruthy();
    expect((screen.getByRole('progressbar', { name: 'Engine start progress' }) as HTMLProgressElement).value).toBe(40);
    act(() => useStatus.setState({ status: { vm: { state: 'starting', stage: 'tunnel', percent: 98, detail: 'connecting over SSH' }, engine: { state: 'unavailable' } } }));
    expect(screen.getByText('tunnel — 98% (connecting over SSH)')).toBeTruthy();
    expect(screen.queryByText('The engine is not running')).toBeNull();
    act(() => useStatus.setState({ status: { vm: { state: 'running', accel: 'tcg', since: 0 }, engine: { state: 'ready', version: '26', apiVersion: '1.45' } } }));
    rerender(
      <EngineGate loaded ready what="containers">
        <p>the list</p>
      </EngineGate>,
    );
    expect(screen.getByText('the list')).toBeTruthy();
  });
});
