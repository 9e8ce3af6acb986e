import fs from 'node:fs/promises';
import path from 'node:path';
import type { BerthPaths } from '../base/paths';
import { BerthError } from '../base/errors';
import type { FactoryResetPlan, FactoryResetResult } from '../contract/vm-entries';
import type { VmStatus } from '../contract/vm';

/** The credentials file's name (electron/credentials/store.ts); its key file stays so a new login seals as before. */
const LOGINS_FILE = 'registries.json';

/** What a factory reset deletes, each with the words the confirmation shows. */
export async function factoryResetPlan(paths: BerthPaths): Promise<FactoryResetPlan> {
  const targets = [
    { path: path.join(paths.vm, 'data.qcow2'), what: 'the data disk: every image, container, volume and the build cache' },
    { path: paths.settings, what: 'settings (CPUs, memory, disk size, shared folders, ...)' },
    { path: path.join(paths.credentials, LOGINS_FILE), what: 'registry logins' },
  ];
  return {
    paths: await Promise.all(
      targets.map(async (t) => ({ ...t, exists: await fs.stat(t.path).then(() => true, () => false) })),
    ),
  };
}

/**
 * Deletes the data disk, settings and logins. Only with the VM stopped: a running QEMU holds the disk, and
 * deleting it underneath would leave a VM writing into a file nobody can see.
 */
export async function factoryReset(paths: BerthPaths, vm: VmStatus): Promise<FactoryResetResult> {
  if (vm.state !== 'stopped' && vm.state !== 'error') {
    throw new BerthError('conflict', `The VM is ${vm.state}: stop it before a factory reset`, 'Stop it with `berth stop` or the Stop button, then reset.');
  }
  const removed: string[] = [];
  for (const t of (await factoryResetPlan(paths)).paths) {
    if (!t.exists) continue;
    await fs.rm(t.path, { force: true });
    removed.push(t.path);
  }
  return { removed };
}
