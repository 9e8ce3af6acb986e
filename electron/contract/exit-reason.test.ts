import { describe, expect, it } from 'vitest';
import { exitCodeFromStatus, exitMeaning, healthFromStatus, isRestartLoop, stateLabel } from './exit-reason';

describe('why a container stopped', () => {
  it('names the common exit codes and any signal', () => {
    expect(exitMeaning(137)).toBe('killed (SIGKILL)');
    expect(exitMeaning(143)).toBe('terminated (SIGTERM)');
    expect(exitMeaning(127)).toBe('command not found');
    expect(exitMeaning(129)).toBe('killed by signal 1');
    expect(exitMeaning(3)).toBe('error');
  });

  it("reads the exit code and the health from the engine's status line", () => {
    expect(exitCodeFromStatus('Exited (137) 2 minutes ago')).toBe(137);
    expect(exitCodeFromStatus('Up 3 minutes')).toBeUndefined();
    expect(healthFromStatus('Up 3 minutes (unhealthy)')).toBe('unhealthy');
    expect(healthFromStatus('Up 5 seconds (health: starting)')).toBe('starting');
    expect(healthFromStatus('Up 1 hour (healthy)')).toBe('healthy');
    expect(healthFromStatus('Up 1 hour')).toBeUndefined();
  });

  it('calls a container restarting for the third time a restart loop, not one restarting once', () => {
    expect(isRestartLoop({ state: 'restarting', restartCount: 1 })).toBe(false);
    expect(isRestartLoop({ state: 'restarting', restartCount: 3 })).toBe(true);
    expect(isRestartLoop({ state: 'running', restartCount: 9 })).toBe(false);
    expect(stateLabel({ state: 'restarting', restartCount: 5 })).toBe('Restarting (5×) — restart loop');
    expect(stateLabel({ state: 'restarting', restartCount: 1 })).toBe('Restarting (1×)');
  });

  it('puts OOM-killed before the exit code it caused', () => {
    expect(stateLabel({ state: 'exited', exitCode: 137, oomKilled: true })).toBe('OOM-killed');
    expect(stateLabel({ state: 'exited', exitCode: 137 })).toBe('Exited (137): killed (SIGKILL)');
    expect(stateLabel({ state: 'exited', exitCode: 3 })).toBe('Exited (3): error');
    expect(stateLabel({ state: 'exited', exitCode: 0 })).toBe('Exited (0)');
    expect(stateLabel({ state: 'running' })).toBe('running');
  });
});
