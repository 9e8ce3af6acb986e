// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeAgent, fakeContainer } from './test-fixtures';
import { StopReason } from './StopReason';

afterEach(cleanup);

describe('the details say why a container stopped', () => {
  it('a stopped one: exit code and meaning, OOM kill, and its last log lines', async () => {
    const streams = fakeAgent((method) => (method === 'containers.inspect' ? { State: { FinishedAt: '2026-11-30T10:00:00Z' } } : undefined));
    render(<StopReason c={fakeContainer('a', 'hog', { state: 'exited', status: 'Exited (137) 1 minute ago', exitCode: 137, oomKilled: true })} />);
    expect(screen.getByText('137 — killed (SIGKILL)')).toBeTruthy();
    expect(screen.getByText(/OOM-killed/)).toBeTruthy();
    const logs = streams.find((s) => s.name === 'containers.logs')!;
    expect(logs.params).toMatchObject({ id: 'a', follow: false, tail: 20 });
    await act(async () => {
      await logs.push({ lines: ['2026-11-30T10:00:00.1Z allocating', '2026-11-30T10:00:00.2Z still allocating'], stream: 'mixed' });
      logs.end();
    });
    expect(screen.getByRole('generic', { name: 'Last log lines' }).textContent).toBe('allocating\nstill allocating');
  });

  it('an unhealthy one: its restarts, the restart loop, and the last probe output', async () => {
    fakeAgent((method) =>
      method === 'containers.inspect' ? { State: { Health: { Status: 'unhealthy', Log: [{ ExitCode: 1, Output: 'curl: (7) connection refused\n' }] } } } : undefined,
    );
    render(<StopReason c={fakeContainer('b', 'web', { state: 'restarting', status: 'Restarting (1) 1 second ago', restartCount: 4, health: 'unhealthy' })} />);
    expect(screen.getByText('4 — restart loop: it fails each time it starts')).toBeTruthy();
    expect((await screen.findByLabelText('Last health probe output')).textContent).toBe('curl: (7) connection refused');
    expect(screen.getByText('unhealthy (last probe exited 1)')).toBeTruthy();
  });

  it('a healthy running one shows nothing', () => {
    fakeAgent(() => ({ State: {} }));
    const { container } = render(<StopReason c={fakeContainer('c', 'ok', { health: 'healthy' })} />);
    expect(container.textContent).toBe('');
  });
});
