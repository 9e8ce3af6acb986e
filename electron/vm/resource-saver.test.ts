/**
 * Resource Saver's rules, with the VM's part recorded (the VM itself: resource-saver.vm.test.ts): when it
 * pauses, that concurrent requests share one wake, that a request during the pause's preparation keeps the VM
 * running, and that the clock is set after each wake.
 */
import { describe, expect, it } from 'vitest';
import { ResourceSaver, type ResourceSaverDeps } from './resource-saver';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setup(o: { idleMs?: number; busy?: () => boolean; prepareMs?: number; qmpFails?: boolean } = {}) {
  const calls: string[] = [];
  const deps: ResourceSaverDeps = {
    qmp: async (cmd) => {
      if (o.qmpFails) throw new Error('QMP connection closed');
      calls.push(cmd);
      await sleep(5);
    },
    prepare: async () => {
      calls.push('prepare');
      await sleep(o.prepareMs ?? 0);
    },
    hold: () => calls.push('hold'),
    release: () => calls.push('release'),
    afterWake: () => calls.push('clock'),
    busy: o.busy ?? (() => false),
    idleMs: async () => o.idleMs ?? 60,
  };
  const saver = new ResourceSaver(deps, 10);
  return { saver, calls };
}

describe('ResourceSaver', () => {
  it('pauses after the idle period: caches dropped, link held, then QMP stop', async () => {
    const { saver, calls } = setup();
    saver.start();
    await sleep(150);
    expect(saver.status().state).toBe('paused');
    expect(calls).toEqual(['prepare', 'hold', 'stop']);
    saver.reset();
  });

  it('does not pause while busy (a container runs) or with an idle period of 0', async () => {
    let busy = true;
    const a = setup({ busy: () => busy });
    a.saver.start();
    await sleep(150);
    expect(a.saver.status().state).toBe('running');
    busy = false;
    await sleep(150);
    expect(a.saver.status().state).toBe('paused');
    a.saver.reset();
    const b = setup({ idleMs: 0 });
    b.saver.start();
    await sleep(100);
    expect(b.saver.status().state).toBe('running');
    b.saver.reset();
  });

  it('concurrent requests on a paused VM share one wake; the clock is set after it', async () => {
    const { saver, calls } = setup({ idleMs: 0 });
    saver.start();
    await saver.pause('manual');
    calls.length = 0;
    await Promise.all([saver.gate(), saver.gate(), saver.gate()]);
    expect(calls).toEqual(['cont', 'release', 'clock']);
    expect(saver.status()).toMatchObject({ state: 'running', wakes: 1 });
    // Running: the gate is free.
    await saver.gate();
    expect(calls).toHaveLength(3);
    saver.reset();
  });

  it('a request while the guest prepares an idle pause keeps the VM running', async () => {
    const { saver, calls } = setup({ idleMs: 30, prepareMs: 80 });
    saver.start();
    await sleep(60);
    expect(saver.status().state).toBe('pausing');
    await saver.gate();
    expect(saver.status().state).toBe('running');
    expect(calls).toEqual(['prepare']);
    saver.reset();
  });

  it('a pause fails cleanly when QMP does: running again, the link released', async () => {
    const { saver, calls } = setup({ idleMs: 0, qmpFails: true });
    saver.start();
    await expect(saver.pause('manual')).rejects.toThrow(/Could not pause the VM: QMP connection closed/);
    expect(saver.status().state).toBe('running');
    expect(calls).toEqual(['prepare', 'hold', 'release']);
    saver.reset();
  });

  it('refuses a pause with no VM', async () => {
    const { saver } = setup();
    await expect(saver.pause('manual')).rejects.toThrow(/not running/);
  });
});
