import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../electron/contract/contract';
import { containerDeathNotice, vmStopNotice } from './notifications';

const c = (state: ContainerSummary['state'], status: string): ContainerSummary => ({
  id: '1', name: 'web', image: 'nginx', imageId: 'x', command: '', state, status, created: 0, ports: [], project: null, service: null, labels: {}, mounts: [], networks: [],
});

describe('what the user is told about', () => {
  it('the VM failing, once, but not a stop the user asked for', () => {
    const err = { state: 'error' as const, reason: 'QEMU was killed (SIGKILL)', hint: 'Start it again.', lastConsoleLines: [] };
    expect(vmStopNotice({ state: 'running', accel: 'tcg', since: 0 }, err)).toEqual({ title: 'The VM stopped unexpectedly', body: 'QEMU was killed (SIGKILL) Start it again.' });
    expect(vmStopNotice(err, err)).toBeNull();
    expect(vmStopNotice({ state: 'stopping' }, { state: 'stopped' })).toBeNull();
  });

  it('a running container exiting non-zero; 137 as killed; a clean exit is quiet', () => {
    expect(containerDeathNotice(c('running', 'Up 1 minute'), c('exited', 'Exited (2) 1 second ago'))?.title).toBe('web exited with code 2');
    expect(containerDeathNotice(c('running', 'Up 1 minute'), c('exited', 'Exited (137) 1 second ago'))?.body).toMatch(/out of memory/);
    expect(containerDeathNotice(c('running', 'Up 1 minute'), c('exited', 'Exited (0) 1 second ago'))).toBeNull();
    expect(containerDeathNotice(c('exited', 'Exited (1) 1 hour ago'), c('exited', 'Exited (1) 1 hour ago'))).toBeNull();
  });
});
