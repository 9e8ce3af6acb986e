import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestImage, startBerth, TEST_IMAGE, waitFor, type BerthUnderTest } from '../testing/vm-fixture';
import { dockerImportDir, staticBusybox } from '../testing/busybox';
import { isRestartLoop, stateLabel } from '../contract/exit-reason';
import type { AgentClient } from '../agent/client';
import type { CollectionEvent, ContainerSummary, ExecItem } from '../contract/model';
import { DEBUG_LABEL } from './debug-shell';

/** FROM scratch with one static binary and no shell: busybox named `sleep`, so it runs as that applet. */
const SCRATCH = 'berth-test/scratch-sleep:1';

/** Why containers stopped, as the model tells clients, and the debug shell, on the real engine. */
describe('exit reasons and the debug shell', () => {
  let b: BerthUnderTest;
  let client: AgentClient;
  const live = new Map<string, ContainerSummary>();
  const byName = (name: string) => [...live.values()].find((c) => c.name === name);

  beforeAll(async () => {
    b = await startBerth();
    await ensureTestImage(b);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-scratch-'));
    fs.copyFileSync(staticBusybox(), path.join(dir, 'sleep'));
    fs.chmodSync(path.join(dir, 'sleep'), 0o755);
    await dockerImportDir(dir, SCRATCH, ['CMD ["/sleep", "600"]'], b.env);
    fs.rmSync(dir, { recursive: true, force: true });
    client = await b.client();
    client.open('containers.watch', {}, {
      onItem: (ev: CollectionEvent<ContainerSummary>) => {
        if (ev.kind === 'snapshot') live.clear();
        for (const c of ev.kind === 'snapshot' ? ev.items : ev.upserts) live.set(c.id, c);
        if (ev.kind === 'delta') for (const id of ev.removes) live.delete(id);
      },
      onEnd: () => undefined,
    });
  }, 600_000);
  afterAll(async () => {
    await b?.docker('rm', '-f', 'hog', 'three', 'flappy', 'scratchy').catch(() => undefined);
    client?.close();
    await b?.stop();
  });

  const modelOf = async (name: string, pred: (c: ContainerSummary) => boolean, what: string): Promise<ContainerSummary> =>
    (await waitFor(async () => byName(name), (c) => !!c && pred(c), 60_000, what))!;

  it('a container over its memory limit shows OOM-killed; one exiting with 3 shows exit 3', async () => {
    // tail keeps a line in memory until its newline, which /dev/zero never sends: it grows past the 32 MiB
    // (8 MiB is too little for runc's own init to start).
    await b.docker('run', '-d', '--name', 'hog', '-m', '32m', '--memory-swap', '32m', TEST_IMAGE, 'sh', '-c', 'busybox head -c 256m /dev/zero | busybox tail');
    await b.docker('run', '-d', '--name', 'three', TEST_IMAGE, 'sh', '-c', 'echo bye; exit 3');
    const hog = await modelOf('hog', (c) => c.state === 'exited' && !!c.oomKilled, 'hog OOM-killed');
    expect(stateLabel(hog)).toBe('OOM-killed');
    expect(await b.docker('inspect', '-f', '{{.State.OOMKilled}}', 'hog')).toBe('true');
    const three = await modelOf('three', (c) => c.state === 'exited', 'three exited');
    expect(three).toMatchObject({ exitCode: 3 });
    expect(three.oomKilled).toBeUndefined();
    expect(stateLabel(three)).toBe('Exited (3): error');
  }, 120_000);

  it('a container that keeps failing under a restart policy is marked as a restart loop', async () => {
    await b.docker('run', '-d', '--name', 'flappy', '--restart', 'always', TEST_IMAGE, 'sh', '-c', 'exit 1');
    const c = await modelOf('flappy', isRestartLoop, 'a restart loop');
    expect(c.restartCount).toBeGreaterThanOrEqual(3);
    expect(stateLabel(c)).toMatch(/^Restarting \(\d+×\) — restart loop$/);
  }, 120_000);

  it('the debug shell opens in a FROM-scratch image with no shell and lists its files', async () => {
    const { id } = await client.call('containers.run', { image: SCRATCH, name: 'scratchy' });
    const shell = (stream: 'containers.exec' | 'containers.debugShell', input?: string) =>
      new Promise<{ text: string; exit: number | null }>((resolve, reject) => {
        let text = '';
        const h = client.open(stream, { id }, {
          onItem: (item: ExecItem) => {
            if ('data' in item) text += item.data;
            else resolve({ text, exit: item.exit });
          },
          onEnd: (err) => (err ? reject(err) : resolve({ text, exit: null })),
        });
        if (input) h.write({ data: input });
      });
    const plain = await shell('containers.exec');
    expect([126, 127]).toContain(plain.exit);
    const started = Date.now();
    const debug = await shell('containers.debugShell', 'ls /proc/1/root; echo pid1=$(cat /proc/1/comm); exit 7\n');
    console.log(`debug shell round trip (toolbox made on first use): ${Date.now() - started} ms`);
    expect(debug.text).toContain('Berth debug shell');
    expect(debug.text).toMatch(/\bsleep\b/);
    expect(debug.text).toContain('pid1=sleep');
    expect(debug.exit).toBe(7);
    // The toolbox container goes with its shell; the image stays for the next one.
    await waitFor(() => b.docker('ps', '-a', '-q', '--filter', `label=${DEBUG_LABEL}`), (out) => out === '', 20_000, 'toolbox removed');
    expect(await b.docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', 'berth/toolbox')).toMatch(/^berth\/toolbox:\d/);
    const again = Date.now();
    const second = await shell('containers.debugShell', 'exit 0\n');
    console.log(`second debug shell (toolbox cached): ${Date.now() - again} ms`);
    expect(second.exit).toBe(0);
  }, 180_000);
});
