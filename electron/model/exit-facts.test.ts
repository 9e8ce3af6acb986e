import { describe, expect, it } from 'vitest';
import { changesExitFacts } from './exit-facts';
import type { ContainerSummary } from '../contract/model';

const c = (more: Partial<ContainerSummary>) => ({ id: 'x', state: 'exited', ...more }) as ContainerSummary;

describe('which engine events cost an inspect', () => {
  it('a death, an OOM kill or a restart does; an exec, a rename or an attach does not', () => {
    for (const a of ['die', 'oom', 'restart']) expect(changesExitFacts(a, undefined)).toBe(true);
    for (const a of ['exec_start: sh', 'rename', 'attach', 'health_status: healthy', undefined]) expect(changesExitFacts(a, c({}))).toBe(false);
  });

  it('a start does only when it may clear an OOM kill or restarts the row shows', () => {
    expect(changesExitFacts('start', undefined)).toBe(false);
    expect(changesExitFacts('start', c({ state: 'created' }))).toBe(false);
    expect(changesExitFacts('start', c({ oomKilled: true }))).toBe(true);
    expect(changesExitFacts('start', c({ restartCount: 2 }))).toBe(true);
    expect(changesExitFacts('start', c({ state: 'restarting' }))).toBe(true);
  });
});
