import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureTestImage, startBerth, TEST_IMAGE, type BerthUnderTest } from '../testing/vm-fixture';
import { startRegistry } from '../testing/local-registry';
import type { AgentClient } from '../agent/client';
import type { BuildEvent, BuildParams, PushBatch } from '../contract/build';
import type { PullProgress } from '../contract/model';

const APP = 'berth-build/app:1';
const PUSHED = '10.0.2.2:5000/berth-build/app:1';

/** Build from a host folder, tag, push to the real local registry and pull back by digest, on the real engine. */
describe('image build, tag and push on the real engine', () => {
  let b: BerthUnderTest;
  let client: AgentClient;
  let registry: { stop(): Promise<void> };
  const dirs: string[] = [];
  beforeAll(async () => {
    b = await startBerth();
    await ensureTestImage(b);
    registry = await startRegistry();
    client = await b.client();
  }, 600_000);
  afterAll(async () => {
    client?.close();
    await b?.stop();
    await registry?.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  const folder = (files: Record<string, string>) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-build-'));
    dirs.push(dir);
    for (const [f, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), content);
    }
    return dir;
  };
  const build = (params: BuildParams) =>
    new Promise<{ events: BuildEvent[]; error: { message: string; hint?: string } | null; arrivals: number }>((resolve) => {
      const events: BuildEvent[] = [];
      let arrivals = 0;
      client.open('images.build', params, {
        onItem: (batch) => {
          arrivals++;
          events.push(...batch.events);
        },
        onEnd: (err) => resolve({ events, error: err ?? null, arrivals }),
      });
    });

  const stepNamed = (events: BuildEvent[], pattern: RegExp) =>
    events.find((e): e is Extract<BuildEvent, { kind: 'step' }> => e.kind === 'step' && pattern.test(e.instruction));
  const outputOf = (events: BuildEvent[], step: number) =>
    events.filter((e): e is Extract<BuildEvent, { kind: 'output' }> => e.kind === 'output' && e.step === step).map((e) => e.text);

  it('a build from a folder runs on BuildKit and streams its steps with their output, and the image appears', async () => {
    const dir = folder({
      'docker/app.Dockerfile': [
        `FROM ${TEST_IMAGE} AS app`,
        'ARG GREETING=none',
        'COPY . /ctx/',
        'RUN echo "greeting=$GREETING" && busybox ls /ctx',
        // Only BuildKit has cache mounts: the classic builder refuses this line.
        'RUN --mount=type=cache,target=/cache echo cache-mount-ok',
        // A later stage the target leaves out: BuildKit does not even run it (it would fail).
        `FROM ${TEST_IMAGE} AS broken`,
        'RUN exit 9',
        '',
      ].join('\n'),
      'hello.txt': 'hi\n',
      'secret.txt': 'do not send\n',
      'logs/a.log': 'x',
      '.dockerignore': 'secret.txt\nlogs\n',
    });
    const started = Date.now();
    const r = await build({ folder: dir, dockerfile: 'docker/app.Dockerfile', target: 'app', buildArgs: [{ name: 'GREETING', value: 'hello' }], tags: [APP] });
    console.log(`build: ${Date.now() - started} ms, ${r.arrivals} batches, ${r.events.length} events`);
    expect(r.error).toBeNull();
    expect(r.events[0]).toEqual({ kind: 'builder', name: 'BuildKit' });
    const run = stepNamed(r.events, /^\[app \d\/\d\] RUN echo "greeting/);
    expect(run, JSON.stringify(r.events.filter((e) => e.kind === 'step'))).toBeDefined();
    const runOutput = outputOf(r.events, run!.step);
    expect(runOutput).toContain('greeting=hello');
    // The context held what .dockerignore let through (the Dockerfile and .dockerignore always go).
    expect(runOutput.join('\n')).toContain('hello.txt');
    expect(runOutput.join('\n')).not.toMatch(/secret\.txt|logs/);
    const mount = stepNamed(r.events, /RUN --mount=type=cache/);
    expect(outputOf(r.events, mount!.step)).toContain('cache-mount-ok');
    expect(r.events).toContainEqual({ kind: 'step-done', step: run!.step, cached: false });
    expect(stepNamed(r.events, /exit 9/)).toBeUndefined();
    expect(r.events.at(-1)).toMatchObject({ kind: 'built', imageId: expect.stringMatching(/^sha256:/), tags: [APP] });
    expect(await b.docker('image', 'ls', '--format', '{{.Repository}}:{{.Tag}}', 'berth-build/app')).toBe(APP);

    // The same build again comes from BuildKit's cache: its steps say so.
    const again = await build({ folder: dir, dockerfile: 'docker/app.Dockerfile', target: 'app', buildArgs: [{ name: 'GREETING', value: 'hello' }], tags: [APP] });
    expect(again.error).toBeNull();
    expect(again.events).toContainEqual({ kind: 'step-done', step: stepNamed(again.events, /RUN echo "greeting/)!.step, cached: true });
  }, 300_000);

  it('a failing build names the step that failed, with that step\'s output', async () => {
    const dir = folder({ Dockerfile: [`FROM ${TEST_IMAGE}`, 'RUN echo fine', 'RUN echo before-the-failure && exit 3', 'RUN echo never', ''].join('\n') });
    const r = await build({ folder: dir });
    expect(r.error?.message).toMatch(/^The build failed at \[3\/4\] RUN echo before-the-failure && exit 3: .*exit code: 3/);
    expect(r.error?.hint).toContain("step's own output");
    const failing = stepNamed(r.events, /RUN echo before-the-failure/)!;
    expect(r.events).toContainEqual(expect.objectContaining({ kind: 'failed', step: failing.step }));
    expect(outputOf(r.events, failing.step)).toContain('before-the-failure');
    expect(stepNamed(r.events, /RUN echo never/)).toBeUndefined();
  }, 300_000);

  it('a missing folder or Dockerfile is refused before anything is sent', async () => {
    const missing = await build({ folder: '/nonexistent/berth-build' });
    expect(missing.error?.message).toBe('The build folder /nonexistent/berth-build does not exist');
    const dir = folder({ 'README.md': 'no Dockerfile here' });
    const noFile = await build({ folder: dir });
    expect(noFile.error?.message).toBe(`There is no Dockerfile at ${dir}/Dockerfile`);
    expect(noFile.events).toEqual([]);
  });

  it('tag and push to the local registry with per-layer progress, then pull it back by digest', async () => {
    await client.call('images.tag', { id: APP, ref: PUSHED });
    expect(await b.docker('image', 'inspect', '--format', '{{.Id}}', PUSHED)).toMatch(/^sha256:/);

    const layers = new Map<string, PullProgress>();
    let digest: string | undefined;
    const err = await new Promise<Error | null>((resolve) =>
      client.open('images.push', { ref: PUSHED }, {
        onItem: (batch: PushBatch) => {
          for (const u of batch.updates) if (u.id) layers.set(u.id, u);
          digest = batch.digest ?? digest;
        },
        onEnd: (e) => resolve(e ?? null),
      }),
    );
    expect(err).toBeNull();
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const layerLines = [...layers.entries()].filter(([id]) => /^[0-9a-f]{12}$/.test(id));
    expect(layerLines.length).toBeGreaterThanOrEqual(2);
    for (const [, l] of layerLines) expect(l.status).toMatch(/Pushed|Layer already exists/);

    // Forget every local name of it, then pull it back by the digest the push reported.
    await b.docker('image', 'rm', PUSHED);
    const byDigest = `10.0.2.2:5000/berth-build/app@${digest}`;
    const pullErr = await new Promise<Error | null>((resolve) =>
      client.open('images.pull', { ref: byDigest }, { onItem: () => undefined, onEnd: (e) => resolve(e ?? null) }),
    );
    expect(pullErr).toBeNull();
    expect(await b.docker('image', 'inspect', '--format', '{{json .RepoDigests}}', byDigest)).toContain(byDigest);
  }, 300_000);

  it('a push of a name that is not there says to tag it first', async () => {
    const ended = await new Promise<{ message: string; hint?: string } | null>((resolve) =>
      client.open('images.push', { ref: '10.0.2.2:5000/berth-build/missing:1' }, { onItem: () => undefined, onEnd: (e) => resolve(e ?? null) }),
    );
    expect(ended?.message).toMatch(/push .*missing/i);
    expect(ended?.hint).toContain('Tag the image');
  });
});
