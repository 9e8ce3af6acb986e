import type { BootProgress } from '../../contract/vm';
import type { Engine } from '../../engine/engine';
import { virtualSize } from '../../vm/data-disk';

/**
 * A boot's progress into a stream: progress arrives synchronously from the engine while the sink is paced by the
 * client, so it is queued in between. A client that goes away does not cancel the boot: others may wait for it.
 */
export async function streamBoot(sink: { push(p: BootProgress): Promise<void>; signal: AbortSignal }, boot: (push: (p: BootProgress) => void) => Promise<unknown>): Promise<void> {
  let chain = Promise.resolve();
  const push = (p: BootProgress) => {
    chain = chain.then(() => (sink.signal.aborted ? undefined : sink.push(p).catch(() => undefined)));
  };
  await boot(push);
  await chain;
}

/** The data disk's size the guest sees, in GiB; null before the first start. */
export function dataDiskGiB(engine: Engine): () => Promise<number | null> {
  return () => virtualSize(engine.vm.dataDisk, 'qemu-img').then((b) => Math.floor(b / 2 ** 30), () => null);
}
