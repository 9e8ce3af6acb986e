import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestImage, killAgentSshSessions, startBerth, TEST_IMAGE, type BerthUnderTest } from '../testing/vm-fixture';
import type { AgentClient } from '../agent/client';
import type { CollectionEvent, ContainerSummary } from '../contract/model';

const run = promisify(execFile);

/** The engine model against the real VM: a burst of engine events ends in the right list, in few deltas. */
describe('engine model on the real engine', () => {
  let b: BerthUnderTest;
  let client: AgentClient;
  beforeAll(async () => {
    b = await startBerth();
    await ensureTestImage(b);
    client = await b.client();
  });
  afterAll(async () => {
    client?.close();
    await b?.stop();
  });

  it('follows a burst of 40 creates and removes with a handful of coalesced deltas', async () => {
    const events: CollectionEvent<ContainerSummary>[] = [];
    const byId = new Map<string, ContainerSummary>();
    const watch = client.open('containers.watch', {}, {
      onItem: (e) => {
        events.push(e);
        if (e.kind === 'snapshot') byId.clear();
        for (const c of e.kind === 'snapshot' ? e.items : e.upserts) byId.set(c.id, c);
        if (e.kind === 'delta') for (const id of e.removes) byId.delete(id);
      },
    });
    await expect.poll(() => events.length).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ kind: 'snapshot', ready: true });

    const names = Array.from({ length: 40 }, (_, i) => `burst-${i}`);
    // Eight at a time: the host CLI processes, not the engine, are the bottleneck on two cores.
    await run('sh', ['-c', `printf '%s\\n' ${names.join(' ')} | xargs -P 8 -I{} docker create --name {} --label com.docker.compose.project=burst ${TEST_IMAGE} sh`], {
      env: b.env,
    });
    await expect.poll(() => [...byId.values()].filter((c) => c.project === 'burst').length, { timeout: 60_000 }).toBe(40);
    const created = [...byId.values()].find((c) => c.name === 'burst-7')!;
    expect(created).toMatchObject({ state: 'created', image: TEST_IMAGE, project: 'burst' });
    const deltasForCreate = events.length - 1;

    await run('sh', ['-c', `docker rm -f ${names.join(' ')}`], { env: b.env });
    await expect.poll(() => [...byId.values()].filter((c) => c.project === 'burst').length, { timeout: 60_000 }).toBe(0);
    // 40 creates and 40 destroys are 80 engine events; batching and credit coalescing send far fewer items.
    expect(events.length - 1).toBeLessThan(80);
    console.log(`80 engine events -> ${events.length - 1} deltas (${deltasForCreate} for the creates)`);
    watch.cancel();
  });

  it('images and volumes follow the engine too (in-use counts, volume users)', async () => {
    const images: CollectionEvent<{ id: string; tags: string[]; containers: number }>[] = [];
    const h = client.open('images.watch', {}, { onItem: (e) => void images.push(e) });
    await expect.poll(() => images.length).toBeGreaterThan(0);
    const snapshot = images[0];
    expect(snapshot.kind === 'snapshot' && snapshot.items.some((i) => i.tags.includes(TEST_IMAGE))).toBe(true);
    h.cancel();
    await b.docker('volume', 'create', 'model-vol');
    await b.docker('create', '--name', 'model-user', '-v', 'model-vol:/data', TEST_IMAGE, 'sh');
    const vols: CollectionEvent<{ id: string; usedBy: string[] }>[] = [];
    const v = client.open('volumes.watch', {}, { onItem: (e) => void vols.push(e) });
    const usedBy = () => {
      let users: string[] = [];
      for (const e of vols) for (const item of e.kind === 'snapshot' ? e.items : e.upserts) if (item.id === 'model-vol') users = item.usedBy;
      return users;
    };
    await expect.poll(usedBy).toEqual(['model-user']);
    await b.docker('rm', '-f', 'model-user');
    await expect.poll(usedBy).toEqual([]);
    v.cancel();
    await b.docker('volume', 'rm', 'model-vol');
  });

  it('a followed log resumes by itself after the SSH connection drops, with no gap and no repeat', async () => {
    await run('docker', ['run', '-d', '--name', 'ticker', TEST_IMAGE, 'busybox', 'sh', '-c', 'i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done'], { env: b.env });
    const lines: string[] = [];
    const follow = client.open('containers.logs', { id: 'ticker', follow: true, tail: 'all' }, { onItem: (batch) => void lines.push(...batch.lines) });
    let ended = false;
    follow.done.then(
      () => (ended = true),
      () => (ended = true),
    );
    try {
      await expect.poll(() => lines.length, { timeout: 30_000 }).toBeGreaterThan(5);
      const status = await client.call('vm.status', {});
      if (status.vm.state !== 'running') throw new Error('the VM is not running');
      expect(await killAgentSshSessions(b, status.vm.sshPort)).toMatch(/killed=[1-9]/);
      const atKill = lines.length;
      await expect.poll(() => lines.length, { timeout: 60_000 }).toBeGreaterThan(atKill + 15);
      expect(ended).toBe(false);
      const ticks = lines.map((l) => Number(/tick (\d+)$/.exec(l)?.[1]));
      expect(ticks.every(Number.isInteger)).toBe(true);
      // Consecutive: nothing lost while the tunnel was down, nothing sent twice after it came back.
      expect(ticks).toEqual(ticks.map((_, i) => ticks[0] + i));
    } finally {
      follow.cancel();
      await run('docker', ['rm', '-f', 'ticker'], { env: b.env });
    }
  });
});
