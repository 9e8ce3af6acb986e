import { describe, expect, it } from 'vitest';
import { stagePercent } from '../vm/state';
import { toBerthStatus } from './status-map';

const base = { tunnel: 'idle' as const, engine: { ready: false }, dockerSocket: null };

describe('status summary', () => {
  it('maps each VM state and the engine readiness for status.get', () => {
    expect(toBerthStatus({ ...base, vm: { state: 'stopped' } })).toEqual({ vm: { state: 'stopped' }, engine: { state: 'unavailable' } });
    expect(
      toBerthStatus({ ...base, vm: { state: 'running', accel: 'tcg', sshPort: 1, pid: 2, startedAt: '2026-01-01T00:00:00Z', bootMs: 3 } }),
    ).toEqual({ vm: { state: 'running', accel: 'tcg', since: Date.parse('2026-01-01T00:00:00Z') }, engine: { state: 'connecting', attempt: 0 } });
    expect(
      toBerthStatus({
        ...base,
        tunnel: 'refused',
        vm: { state: 'running', accel: 'kvm', sshPort: 1, pid: 2, startedAt: '2026-01-01T00:00:00Z', bootMs: 3 },
        problem: { code: 'host-key-mismatch', message: 'refused', hint: 'berth reset-host-key' },
      }).engine,
    ).toEqual({ state: 'error', reason: 'refused', hint: 'berth reset-host-key' });
    expect(
      toBerthStatus({ ...base, engine: { ready: true, version: '26.1', apiVersion: '1.45' }, vm: { state: 'running', accel: 'tcg', sshPort: 1, pid: 2, startedAt: 'x', bootMs: 3 } }).engine,
    ).toEqual({ state: 'ready', version: '26.1', apiVersion: '1.45' });
    expect(toBerthStatus({ ...base, vm: { state: 'error', reason: 'r', hint: 'h', lastConsoleLines: ['a'] } }).vm).toEqual({
      state: 'error',
      reason: 'r',
      hint: 'h',
      lastConsoleLines: ['a'],
    });
  });

  it('progress grows through host steps, then the guest stages, and stays below 100 until ready', () => {
    const stages = ['kernel', 'init', 'sshd', 'engine-ready'];
    const seq = ['prepare', 'image', 'disk', 'hypervisor', ...stages, 'ssh'].map((s) => stagePercent(s, stages));
    expect([...seq].sort((a, b) => a - b)).toEqual(seq);
    expect(seq.at(-1)).toBeLessThan(100);
    expect(stagePercent('unknown-stage', stages)).toBe(10);
  });
});
