/**
 * Memory given back: a container that holds 1 GiB and exits must not leave QEMU's resident set at its peak. The
 * guest reports the pages it frees (virtio-balloon free page reporting) and QEMU drops them. One VM for the file.
 */
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, ensureTestImage, startBerth, waitFor, type BerthUnderTest } from '../testing/vm-fixture';

const MiB = 2 ** 20;
let b: BerthUnderTest;
let qemuPid = 0;

/** QEMU's resident set, as the host's memory accounting sees it. */
function rssBytes(pid: number): number {
  const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(m[1]) * 1024;
}

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
    const idle = rssBytes(qemuPid);
    // 1 GiB in a tmpfs: memory the guest holds exactly until the container goes.
    await b.docker('run', '-d', '--name', 'hog', '--tmpfs', '/hold:size=1100m', TEST_IMAGE, 'sh', '-c', 'head -c 1024m /dev/zero >/hold/f; sleep 600');
    const peak = await waitFor(async () => rssBytes(qemuPid), (rss) => rss > idle + 900 * MiB, 120_000, 'the 1 GiB to be touched');
    await b.docker('rm', '-f', 'hog');
    const after = await waitFor(async () => rssBytes(qemuPid), (rss) => rss < idle + 300 * MiB, 60_000, 'QEMU to give the memory back');
    console.log(`QEMU RSS: idle ${Math.round(idle / MiB)} MiB, holding ${Math.round(peak / MiB)} MiB, after exit ${Math.round(after / MiB)} MiB`);
    expect(peak - after).toBeGreaterThan(700 * MiB);
  });
});
