import type { VmStatus } from '../contract/vm';

/** What is needed of the VM: its status events. */
interface StatusSource {
  on(event: 'status', listener: (s: VmStatus) => void): unknown;
  off(event: 'status', listener: (s: VmStatus) => void): unknown;
}

/** The VM's own steps before it spawns QEMU (`hypervisor` is announced in the same turn as the spawn). */
const BEFORE_SPAWN = new Set(['prepare', 'image', 'disk']);

/**
 * Resolves once QEMU has been spawned for the boot under way (one turn of the event loop after the VM's
 * `hypervisor` stage), or when that boot ends, whichever comes first.
 *
 * Why: work the engine needs only once the guest answers (loading dockerode, the docker context's CLI runs)
 * would compete with the steps before the spawn on a 2-core host; after it, it overlaps the guest's boot.
 */
export function qemuSpawned(vm: StatusSource, boot: Promise<unknown>): Promise<void> {
  return new Promise((resolve) => {
    const onStatus = (s: VmStatus) => {
      if (s.state === 'starting' && BEFORE_SPAWN.has(s.stage)) return;
      done();
    };
    // May run twice (a status, then the boot's end): a second off() and resolve() change nothing.
    const done = () => {
      vm.off('status', onStatus);
      setImmediate(resolve);
    };
    vm.on('status', onStatus);
    void boot.then(done, done);
  });
}
