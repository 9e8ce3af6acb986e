/**
 * Compose against a real Berth (agent, QEMU VM, dockerd): the host's `docker compose` (the plugin Berth installs
 * from Debian trixie, into a temp DOCKER_CONFIG so the user's own plugin folder plays no part) and the agent's
 * compose.* calls each bring a two-service project up and down; the agent's log view interleaves both services'
 * lines in time order. Images come from the offline busybox test image. One VM for the whole file.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComposeLogLine } from '../contract/compose';
import { installCliPlugins } from '../host/cli-plugins';
import { compareTimestamps } from '../model/log-time';
import { countingComposeFile } from '../testing/compose-project';
import { TEST_IMAGE, ensureTestImage, sshArgs, startBerth, waitFor, type BerthUnderTest } from '../testing/vm-fixture';

const run = promisify(execFile);
const dockerConfig = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-docker-config-'));
let b: BerthUnderTest;
let file: string;

beforeAll(async () => {
  const log = (l: string) => process.env.BERTH_TEST_VERBOSE && console.log(l);
  const plugins = await installCliPlugins({ userDir: path.join(dockerConfig, 'cli-plugins'), systemDirs: [], log });
  expect(plugins.status.map((s) => s.state)).toEqual(['installed-by-berth', 'installed-by-berth']);
  // The agent inherits this: it finds compose where the docker CLI would, in $DOCKER_CONFIG/cli-plugins.
  process.env.DOCKER_CONFIG = dockerConfig;
  b = await startBerth({ log });
  await ensureTestImage(b);
  const project = path.join(b.shareDir, 'shop');
  fs.mkdirSync(project);
  file = path.join(project, 'compose.yaml');
  fs.writeFileSync(file, countingComposeFile(TEST_IMAGE, ['alpha', 'beta']));
}, 600_000);

afterAll(async () => {
  await b?.stop();
  fs.rmSync(dockerConfig, { recursive: true, force: true });
});

async function compose(...args: string[]): Promise<string> {
  const r = await run('docker', ['compose', '-f', file, ...args], {
    env: { ...b.env, DOCKER_CONFIG: dockerConfig },
    maxBuffer: 16 << 20,
  });
  return r.stdout;
}

const projectContainers = async () =>
  (await b.docker('ps', '-a', '--filter', 'label=com.docker.compose.project=shop', '--format', '{{.Names}}'))
    .split('\n')
    .filter(Boolean)
    .sort();

describe("the host's docker compose against Berth's socket", () => {
  it('the installed plugin is the real Compose v2', async () => {
    expect(await compose('version')).toMatch(/Docker Compose version v?2\.\d+/);
  });

  it('up, ps, logs and down of a two-service project', async () => {
    await compose('up', '--detach');
    const ps = (await compose('ps', '--format', '{{.Service}} {{.State}}')).trim().split('\n').sort();
    expect(ps).toEqual(['alpha running', 'beta running']);
    // compose leads each line with an "erase line" escape even with --no-color.
    // eslint-disable-next-line no-control-regex
    const ESCAPES = /\u001b\[[0-9;]*[A-Za-z]/g;
    const logs = await waitFor(
      async () => (await compose('logs', '--no-color')).replace(ESCAPES, ''),
      (out) => /alpha 2/.test(out) && /beta 2/.test(out),
      30_000,
      'both services to log',
    );
    expect(logs).toMatch(/^alpha-1 +\| alpha 1$/m);
    expect(logs).toMatch(/^beta-1 +\| beta 1$/m);
    await compose('down');
    expect(await projectContainers()).toEqual([]);
  }, 180_000);
});

describe('the guest', () => {
  it('has Compose v2 and Buildx as docker CLI plugins, as Docker Desktop ships them', async () => {
    const c = await b.client();
    const st = await c.call('vm.status', {});
    c.close();
    if (st.vm.state !== 'running') throw new Error('VM not running');
    const { stdout } = await run('ssh', [...sshArgs(b, st.vm.sshPort), 'docker compose version; docker buildx version'], {
      env: b.env,
    });
    expect(stdout).toMatch(/Docker Compose version v?2\.\d+/);
    expect(stdout).toMatch(/github\.com\/docker\/buildx v?0\.\d+/);
  });
});

describe("the agent's compose calls", () => {
  it('a compose file outside every shared folder is refused with how to share it', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-unshared-'));
    fs.writeFileSync(path.join(outside, 'compose.yaml'), countingComposeFile(TEST_IMAGE, ['x']));
    const c = await b.client();
    try {
      await expect(c.call('compose.project', { file: path.join(outside, 'compose.yaml') })).rejects.toThrow(
        /is not shared with the Berth VM.*Settings > Shared folders/,
      );
    } finally {
      c.close();
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('Up streams its output, the project shows both services running, the logs interleave in time order, Down removes them', async () => {
    const c = await b.client();
    try {
      const before = await c.call('compose.project', { file });
      expect(before.name).toBe('shop');
      expect(before.services.map((s) => [s.name, s.containers.length])).toEqual([
        ['alpha', 0],
        ['beta', 0],
      ]);

      const output: string[] = [];
      await c.open('compose.run', { file, action: 'up' }, { onItem: (o) => void output.push(...o.lines) }).done;
      expect(output.join('\n')).toMatch(/Container shop-alpha-1 +Started/);
      expect(output.join('\n')).toMatch(/Container shop-beta-1 +Started/);

      const up = await c.call('compose.project', { file });
      expect(up.services.map((s) => [s.name, s.containers.map((x) => x.state)])).toEqual([
        ['alpha', ['running']],
        ['beta', ['running']],
      ]);

      // Let both print a few lines, then read the backlog: one list, both services, in time order.
      await new Promise((r) => setTimeout(r, 3000));
      const lines: ComposeLogLine[] = [];
      await c.open('compose.logs', { file, follow: false, tail: 'all' }, { onItem: (batch) => void lines.push(...batch.lines) })
        .done;
      expectInterleavedInOrder(lines);

      // Following: what comes live is in order too, and continues after the backlog without repeating it.
      const live: ComposeLogLine[] = [];
      const follow = c.open('compose.logs', { file, follow: true, tail: 0 }, { onItem: (batch) => void live.push(...batch.lines) });
      await waitFor(
        async () => live,
        (l) => l.filter((x) => x.service === 'alpha').length >= 3 && l.filter((x) => x.service === 'beta').length >= 3,
        30_000,
        'live lines of both services',
      );
      follow.cancel();
      expectInterleavedInOrder(live);
      expect(new Set(live.map((l) => `${l.service} ${l.text}`)).size).toBe(live.length);

      const down: string[] = [];
      await c.open('compose.run', { file, action: 'down' }, { onItem: (o) => void down.push(...o.lines) }).done;
      expect(down.join('\n')).toMatch(/Container shop-alpha-1 +Removed/);
      const after = await c.call('compose.project', { file });
      expect(after.services.every((s) => s.containers.length === 0)).toBe(true);
      expect(await projectContainers()).toEqual([]);
    } finally {
      c.close();
    }
  }, 240_000);

  // Last: it kills the VM. Compose gets an EOF from the socket; the error must name the VM, not the compose file.
  it('Up cut off by the VM stopping under it ends with an error that says so', async () => {
    const project = path.join(b.shareDir, 'cut');
    fs.mkdirSync(project);
    const cutFile = path.join(project, 'compose.yaml');
    fs.writeFileSync(cutFile, countingComposeFile(TEST_IMAGE, ['one', 'two', 'three']));
    const qemuPid = Number((await run('pgrep', ['-f', `qemu-system.*${b.home}`])).stdout.trim().split('\n')[0]);
    const c = await b.client();
    try {
      // No auto-restart: a request compose sends between two others would otherwise wait for the new VM and
      // succeed against it (the containers it created are on the disk), and the run would end well.
      await c.call('settings.update', { patch: { autoRestart: false } });
      let killed = false;
      const ended = await new Promise<{ message: string; hint?: string } | null>((resolve) =>
        c.open('compose.run', { file: cutFile, action: 'up' }, {
          onItem: (o) => {
            if (!killed && o.lines.some((l) => /Starting|Created/.test(l))) {
              killed = true;
              process.kill(qemuPid, 'SIGKILL');
            }
          },
          onEnd: (err) => resolve(err ?? null),
        }),
      );
      expect(killed).toBe(true);
      expect(ended?.message).toMatch(/^docker compose up was cut off: the VM stopped unexpectedly: QEMU was killed by SIGKILL\. What it had started may be half done\.$/);
      expect(ended?.hint).toMatch(/run it again/);
    } finally {
      c.close();
    }
  }, 120_000);
});

function expectInterleavedInOrder(lines: ComposeLogLine[]): void {
  const services = lines.map((l) => l.service);
  expect(new Set(services)).toEqual(new Set(['alpha', 'beta']));
  for (let i = 1; i < lines.length; i++) {
    expect(compareTimestamps(lines[i - 1].time, lines[i].time), `line ${i} is earlier than line ${i - 1}`).toBeLessThanOrEqual(0);
  }
  // Interleaved, not one service's block after the other's: the service changes more than once.
  const switches = services.filter((s, i) => i > 0 && s !== services[i - 1]).length;
  expect(switches).toBeGreaterThan(2);
  for (const l of lines) expect(l.text).toMatch(new RegExp(`^${l.service} \\d+$`));
}
