import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { VmStatus } from '../contract/vm';
import { qemuSpawned } from './qemu-spawned';

const starting = (stage: string): VmStatus => ({ state: 'starting', stage, percent: 10 });
const settled = async (p: Promise<void>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 20))]);

describe('qemuSpawned', () => {
  it('waits through the host steps and resolves after the hypervisor stage (the spawn follows it in that turn)', async () => {
    const vm = new EventEmitter<{ status: [VmStatus] }>();
    const p = qemuSpawned(vm, new Promise(() => undefined));
    for (const stage of ['prepare', 'image', 'disk']) vm.emit('status', starting(stage));
    expect(await settled(p)).toBe(false);
    let spawnedInSameTurn = false;
    vm.emit('status', starting('hypervisor'));
    spawnedInSameTurn = true;
    let resolvedAfterSpawn = false;
    await p.then(() => (resolvedAfterSpawn = spawnedInSameTurn));
    expect(resolvedAfterSpawn).toBe(true);
    expect(vm.listenerCount('status')).toBe(0);
  });

  it('resolves when the boot fails before any spawn (the caller then reports the boot error)', async () => {
    const vm = new EventEmitter<{ status: [VmStatus] }>();
    const boot = Promise.reject(new Error('no QEMU'));
    boot.catch(() => undefined);
    expect(await settled(qemuSpawned(vm, boot))).toBe(true);
    expect(vm.listenerCount('status')).toBe(0);
  });
});
