/**
 * The accelerator probe with a real QEMU and the real guest image: a boot that prints no stage line within the
 * deadline is killed and the next accelerator tried; the choice and the reason are remembered. A guest whose
 * console is silent (no console= on its command line) stands in for a hung accelerator.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berthPaths } from '../base/paths';
import { BerthError } from '../base/errors';
import { defaultSettings } from '../settings/schema';
import { ensureClientKey } from '../engine/ssh-keys';
import { berthGuest } from './guest-image';
import { VirtualMachine } from './machine';
import { commandLineOf } from './process-info';
import type { VmStatus } from './state';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-probe-'));
afterAll(() => fs.rmSync(home, { recursive: true, force: true }));

function processesUsing(file: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => commandLineOf(pid)?.includes(file));
}

describe('accelerator probe', () => {
  it('kills a boot that prints no stage, falls back, remembers why, and leaves no QEMU behind', async () => {
    const paths = berthPaths(home);
    const real = berthGuest();
    const silent = { ...real, kernelCmdline: (o: Parameters<typeof real.kernelCmdline>[0]) => real.kernelCmdline(o).replace(/console=\S+/, 'console=tty0') };
    const states: VmStatus['state'][] = [];
    const vm = new VirtualMachine({
      paths,
      settings: async () => ({ ...defaultSettings(), cpus: 1, memoryMiB: 1024, diskGiB: 8 }),
      guest: silent,
      authorizedKey: async () => (await ensureClientKey(paths.vm)).publicKey,
      // Two "accelerators" this host has, so the probe runs; the second boot has no probe, only the boot timeout.
      accelCandidates: ['tcg', 'tcg'],
      probeDeadlineMs: 4000,
      bootTimeoutMs: 4000,
    });
    vm.on('status', (s) => states.push(s.state));
    const err = (await vm.start().catch((e: unknown) => e)) as BerthError;
    expect(err).toBeInstanceOf(BerthError);
    expect(err.code).toBe('timeout');
    expect(vm.status()).toMatchObject({ state: 'error' });
    const memo = JSON.parse(fs.readFileSync(path.join(paths.vm, 'accel.json'), 'utf8'));
    expect(memo.reason).toMatch(/printed no boot stage within 4 s/);
    const log = fs.readFileSync(path.join(paths.vm, 'console.log'), 'utf8');
    expect(log.match(/--- .* boot \(tcg\)/g)?.length).toBe(2);
    expect(log).toMatch(/printed no boot stage/);
    expect(fs.existsSync(path.join(paths.vm, 'lock'))).toBe(false);
    expect(fs.existsSync(path.join(paths.vm, 'hypervisor.pid.json'))).toBe(false);
    expect(processesUsing(vm.dataDisk)).toEqual([]);
    expect(states[0]).toBe('starting');
    expect(states.at(-1)).toBe('error');
  });

  it('a stop during boot cancels it: start rejects as cancelled, state stopped, no QEMU left', async () => {
    const paths = berthPaths(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cancel-')));
    const real = berthGuest();
    const vm = new VirtualMachine({
      paths,
      settings: async () => ({ ...defaultSettings(), cpus: 1, memoryMiB: 1024, diskGiB: 8 }),
      guest: real,
      authorizedKey: async () => (await ensureClientKey(paths.vm)).publicKey,
      accelCandidates: ['tcg'],
    });
    const starting = vm.start();
    await new Promise<void>((r) => vm.on('status', (s) => s.state === 'starting' && s.stage === 'kernel' && r()));
    await vm.stop();
    const err = (await starting.catch((e: unknown) => e)) as BerthError;
    expect(err.code).toBe('cancelled');
    expect(vm.status()).toEqual({ state: 'stopped' });
    expect(processesUsing(vm.dataDisk)).toEqual([]);
    expect(fs.existsSync(path.join(paths.vm, 'lock'))).toBe(false);
    fs.rmSync(paths.home, { recursive: true, force: true });
  });
});
