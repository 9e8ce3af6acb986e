/**
 * Memory given back (issue 20): QEMU's resident set at idle (the baseline, measured in this run), while a
 * container holds 1 GiB, and 30 s after it exits. Goal: back within 150 MB of idle. Writes the figures into
 * electron/vm/README.md between the bench markers.
 *
 *   npm run bench:memory
 */
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { HOLD_1GIB_RUN_ARGS, qemuResidentBytes } from '../testing/vm-fixture';
import { withBenchBerth, writeBenchSection } from './bench-support';

const README = fileURLToPath(new URL('../vm/README.md', import.meta.url));
const MB = 1e6;
const GOAL_MB = 150;


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  await withBenchBerth(async (b, _c, vm) => {
    const pid = vm.pid;
    await sleep(10_000);
    const idle = qemuResidentBytes(pid);
    await b.docker('run', '-d', '--name', 'hog', ...HOLD_1GIB_RUN_ARGS);
    let holding = 0;
    for (let i = 0; i < 120 && holding < idle + 1000 * MB; i++) {
      await sleep(1000);
      holding = Math.max(holding, qemuResidentBytes(pid));
    }
    await b.docker('rm', '-f', 'hog');
    await sleep(30_000);
    const after = qemuResidentBytes(pid);
    const mb = (x: number) => `${Math.round(x / MB)} MB`;
    const kept = after - idle;
    const lines = [
      `Measured ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} cores, accel ${vm.accel}, guest memory 2048 MiB, free page reporting on.`,
      '',
      '| QEMU resident set | value | vs idle |',
      '|---|---|---|',
      `| idle (baseline, this run) | ${mb(idle)} | 1.00x |`,
      `| a container holds 1 GiB (tmpfs) | ${mb(holding)} | ${(holding / idle).toFixed(2)}x |`,
      `| 30 s after it exits | ${mb(after)} | ${(after / idle).toFixed(2)}x |`,
      '',
      `Kept after exit: ${mb(kept)} over idle (goal: at most ${GOAL_MB} MB): ${kept <= GOAL_MB * MB ? 'met' : 'missed'}.`,
    ];
    const section = lines.join('\n');
    console.log(`\n${section}\n`);
    writeBenchSection(README, 'memory', 'Memory given back (npm run bench:memory)', section);
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
