/**
 * Memory given back (issue 20): QEMU's resident set at idle (the baseline, measured in this run), while a
 * container holds 1 GiB, and 30 s after it exits. Goal: back within 150 MB of idle. Writes the figures into
 * electron/vm/README.md between the bench markers.
 *
 *   npm run bench:memory
 */
import fs from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { HOLD_1GIB_RUN_ARGS, ensureTestImage, qemuResidentBytes, startBerth } from '../testing/vm-fixture';

const README = fileURLToPath(new URL('../vm/README.md', import.meta.url));
const MB = 1e6;
const GOAL_MB = 150;


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const b = await startBerth();
  try {
    await ensureTestImage(b);
    const c = await b.client();
    const st = await c.call('vm.status', {});
    c.close();
    if (st.vm.state !== 'running') throw new Error(`VM not running: ${st.vm.state}`);
    const pid = st.vm.pid;
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
      `Measured ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} cores, accel ${st.vm.accel}, guest memory 2048 MiB, free page reporting on.`,
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
    const readme = fs.readFileSync(README, 'utf8');
    const begin = '<!-- bench:memory begin -->';
    const end = '<!-- bench:memory end -->';
    const block = `${begin}\n${section}\n${end}`;
    fs.writeFileSync(
      README,
      readme.includes(begin) ? readme.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block) : `${readme.trimEnd()}\n\n## Memory given back (npm run bench:memory)\n\n${block}\n`,
    );
  } finally {
    await b.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
