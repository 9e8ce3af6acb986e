/**
 * Resource Saver's wake (issue 20): what `docker ps` sends (GET /containers/json on a new connection to the
 * host socket) answered by a paused VM, against the same request on the running VM in the same run. Goal: the
 * paused VM answers in under 200 ms. Also QEMU's resident set before the pause and while paused (the guest's
 * page cache dropped and reported free). Writes the figures into electron/vm/README.md between the bench markers.
 *
 *   npm run bench:saver
 */
import http from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { qemuResidentBytes } from '../testing/vm-fixture';
import { withBenchBerth, writeBenchSection } from './bench-support';

const README = fileURLToPath(new URL('../vm/README.md', import.meta.url));
const GOAL_MS = 200;
const ROUNDS = 10;
const MB = 1e6;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One request on a fresh connection, as the docker CLI makes it; resolves with the time to the whole answer. */
function dockerPs(socketPath: string): Promise<number> {
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath, path: '/containers/json', agent: false }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * 0.9))];

async function main(): Promise<void> {
  await withBenchBerth(async (b, c, vm) => {
    const sock = b.paths.dockerSocket;
    await sleep(5000);
    const running: number[] = [];
    const woken: number[] = [];
    const cont: number[] = [];
    let rssRunning = 0;
    let rssPaused = 0;
    for (let i = 0; i < ROUNDS; i++) {
      await dockerPs(sock); // warm: the same state for every round
      running.push(await dockerPs(sock));
      rssRunning = Math.max(rssRunning, qemuResidentBytes(vm.pid));
      const paused = await c.call('vm.pause', {});
      if (paused.saver?.state !== 'paused') throw new Error(`not paused: ${JSON.stringify(paused.saver)}`);
      await sleep(1000);
      rssPaused = Math.max(rssPaused, qemuResidentBytes(vm.pid));
      woken.push(await dockerPs(sock));
      const after = await c.call('vm.status', {});
      if (after.saver?.state !== 'running') throw new Error(`not woken: ${JSON.stringify(after.saver)}`);
      cont.push(after.saver.lastWakeMs ?? NaN);
    }
    const ms = (x: number) => `${x.toFixed(1)} ms`;
    const load = os.loadavg()[0].toFixed(1);
    const lines = [
      `Measured ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} cores, accel ${vm.accel}, ${ROUNDS} rounds, load average ${load}.`,
      '',
      '| GET /containers/json on a new host-socket connection (what `docker ps` sends) | median | p90 | vs running |',
      '|---|---|---|---|',
      `| VM running (baseline, this run) | ${ms(median(running))} | ${ms(p90(running))} | 1.00x |`,
      `| VM paused by Resource Saver: wake + answer | ${ms(median(woken))} | ${ms(p90(woken))} | ${(median(woken) / median(running)).toFixed(2)}x |`,
      `| of which QMP \`cont\` | ${ms(median(cont))} | ${ms(p90(cont))} | |`,
      '',
      `QEMU resident set: ${Math.round(rssRunning / MB)} MB running, ${Math.round(rssPaused / MB)} MB paused (the guest's page cache dropped before the pause).`,
      '',
      `Every wake + answer, sorted: ${[...woken].sort((x, y) => x - y).map((x) => x.toFixed(0)).join(', ')} ms.`,
      '',
      `Wake to answer: ${ms(median(woken))} median (goal: under ${GOAL_MS} ms; Docker Desktop 3-10 s): ${median(woken) < GOAL_MS ? 'met' : 'missed'}.`,
    ];
    const section = lines.join('\n');
    console.log(`\n${section}\n`);
    writeBenchSection(README, 'saver', 'Resource Saver: wake to answer (npm run bench:saver)', section);
  });
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
