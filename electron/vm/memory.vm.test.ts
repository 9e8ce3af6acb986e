/**
 * Memory given back: a container that holds 1 GiB and exits must not leave QEMU's resident set at its peak. The
 * guest reports the pages it frees (virtio-balloon free page reporting) and QEMU drops them. One VM for the file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOLD_1GIB_RUN_ARGS, ensureTestImage, qemuResidentBytes, startBerth, waitFor, type BerthUnderTest } from '../testing/vm-fixture';

const MiB = 2 ** 20;
let b: BerthUnderTest;
let qemuPid = 0;

beforeAll(async () => {
  b = await startBerth();
  await ensureTestImage(b);
  const c = await b.client();
  const st = await c.call('vm.status', {});
  c.close();
  if (st.vm.state !== 'running') throw new Error(`VM not running: ${st.vm.state}`);
  qemuPid = st.vm.pid;
});

afterAll(async () => {
  await b?.stop();
});

describe('memory given back to the host', () => {
  it('after a container that held 1 GiB exits, QEMU shrinks back near its idle size', async () => {
    // Settle first: the boot's own page cache and dockerd's start-up are part of "idle".
    await new Promise((r) => setTimeout(r, 5000));
    const idle = qemuResidentBytes(qemuPid);
    // 1 GiB in a tmpfs: memory the guest holds exactly until the container goes.
    await b.docker('run', '-d', '--name', 'hog', ...HOLD_1GIB_RUN_ARGS);
    const peak = await waitFor(async () => qemuResidentBytes(qemuPid), (rss) => rss > idle + 900 * MiB, 120_000, 'the 1 GiB to be touched');
    await b.docker('rm', '-f', 'hog');
    const after = await waitFor(async () => qemuResidentBytes(qemuPid), (rss) => rss < idle + 300 * MiB, 60_000, 'QEMU to give the memory back');
    console.log(`QEMU RSS: idle ${Math.round(idle / MiB)} MiB, holding ${Math.round(peak / MiB)} MiB, after exit ${Math.round(after / MiB)} MiB`);
    expect(peak - after).toBeGreaterThan(700 * MiB);
  });
});
