/**
 * npm run bench:shares — one real Berth (temp home, a temp folder shared), then in the VM, in paired rounds of
 * alternating order: sequential write/read and the small-files test (share-workload.ts) on the shared folder
 * (9p, mounted as the product mounts it) and on the guest's own disk (the ext4 data disk). Prints share/disk
 * ratios per figure (median of the per-round ratios; goal >= 0.5x) and JSON (last line) for the READMEs.
 *
 * BENCH_SHARE_MODES=readahead,mmap,loose also measures those 9p cache modes (remounting the share; one run each,
 * against the disk's median), for the trade-off table in electron/shares/README.md.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sshArgs, startBerth, type BerthUnderTest } from '../testing/vm-fixture';
import { makeTreeTarball, parseWorkload, remountScript, workloadScript, type WorkloadResult } from './share-workload';
import { runBench } from './run-bench';

const run = promisify(execFile);
const SIZE_MB = Number(process.env.BENCH_MB ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EXTRA_MODES = (process.env.BENCH_SHARE_MODES ?? '').split(',').filter(Boolean);
const DISK_DIR = '/var/lib/docker';
const GUEST_TARBALL = '/tmp/berth-bench-tree.tar';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function guestSh(b: BerthUnderTest, sshPort: number, script: string): Promise<string> {
  return (await run('ssh', [...sshArgs(b, sshPort), script], { maxBuffer: 1 << 20 })).stdout;
}

/** share/disk for each figure: speed ratios, so > 1 means the share is faster. */
function ratios(share: WorkloadResult, disk: WorkloadResult) {
  return {
    write: share.writeMBps / disk.writeMBps,
    read: share.readMBps / disk.readMBps,
    smallFiles: disk.smallFilesS / share.smallFilesS,
  };
}
type Ratios = ReturnType<typeof ratios>;

function medianOf(results: WorkloadResult[]): WorkloadResult {
  const pick = (k: keyof WorkloadResult) => median(results.map((r) => r[k]));
  return {
    writeMBps: pick('writeMBps'), readMBps: pick('readMBps'), untarS: pick('untarS'), findS: pick('findS'),
    catS: pick('catS'), smallFilesS: pick('smallFilesS'), entries: pick('entries'),
  };
}

function line(name: string, r: WorkloadResult): string {
  return `  ${name.padEnd(26)} write ${r.writeMBps.toFixed(1).padStart(6)} MB/s  read ${r.readMBps.toFixed(1).padStart(6)} MB/s  ` +
    `small files ${r.smallFilesS.toFixed(1).padStart(6)} s (untar ${r.untarS.toFixed(1)}, find ${r.findS.toFixed(1)}, cat ${r.catS.toFixed(1)})`;
}

const fmtRatios = (r: Ratios) => `write ${r.write.toFixed(2)}x  read ${r.read.toFixed(2)}x  small files ${r.smallFiles.toFixed(2)}x`;

async function main(): Promise<void> {
  console.error('booting a Berth VM (temp home)…');
  const b = await startBerth();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-shares-'));
  try {
    const c = await b.client();
    const st = await c.call('vm.status', {});
    c.close();
    if (st.vm.state !== 'running') throw new Error('VM not running');
    const sshPort = st.vm.sshPort;
    const sh = (script: string) => guestSh(b, sshPort, script);
    const share = b.shareDir;
    const mountLine = (await sh(`grep ' ${share} ' /proc/mounts`)).trim();

    // The tarball reaches the guest through the share once, untimed, and is read from the guest's tmpfs after.
    fs.copyFileSync(makeTreeTarball(work), path.join(share, 'tree.tar'));
    await sh(`cp ${share}/tree.tar ${GUEST_TARBALL}`);
    fs.rmSync(path.join(share, 'tree.tar'));

    const once = async (dir: string) => parseWorkload(await sh(workloadScript(dir, GUEST_TARBALL, SIZE_MB)));
    const shareRuns: WorkloadResult[] = [];
    const diskRuns: WorkloadResult[] = [];
    const paired: Ratios[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternating order: the machine is shared, and its load drifts between measurements.
      if (i % 2 === 0) {
        shareRuns.push(await once(share));
        diskRuns.push(await once(DISK_DIR));
      } else {
        diskRuns.push(await once(DISK_DIR));
        shareRuns.push(await once(share));
      }
      paired.push(ratios(shareRuns[i], diskRuns[i]));
      console.error(`round ${i + 1}:\n${line('share', shareRuns[i])}\n${line('disk', diskRuns[i])}\n  share/disk ${fmtRatios(paired[i])}`);
    }
    const product = {
      share: medianOf(shareRuns),
      disk: medianOf(diskRuns),
      ratio: { write: median(paired.map((p) => p.write)), read: median(paired.map((p) => p.read)), smallFiles: median(paired.map((p) => p.smallFiles)) },
    };

    const modes: Record<string, { share: WorkloadResult; ratio: Ratios }> = {};
    try {
      for (const mode of EXTRA_MODES) {
        await sh(remountScript(share, mode));
        const r = await once(share);
        modes[mode] = { share: r, ratio: ratios(r, product.disk) };
        console.error(`cache=${mode}:\n${line('share', r)}`);
      }
    } finally {
      if (EXTRA_MODES.length) await sh(remountScript(share, 'none'));
    }

    console.log(`\nshared folder vs the guest's own disk, in the VM (${ROUNDS} paired rounds, medians; goal >= 0.5x each)`);
    console.log(`  share mount: ${mountLine}`);
    console.log(`  sequential: dd bs=1M, ${SIZE_MB} MiB, write with conv=fsync, read after drop_caches`);
    console.log(`  small files: untar ${product.share.entries - 1} entries (2,000 files of 0.1-8 KB), find | wc -l, cat all (caches dropped)`);
    console.log(line('share (9p, cache=none)', product.share));
    console.log(line(`guest disk (${DISK_DIR})`, product.disk));
    console.log(`  share/disk: ${fmtRatios(product.ratio)}`);
    for (const [mode, r] of Object.entries(modes)) {
      console.log(`${line(`share (9p, cache=${mode})`, r.share)}\n    vs disk median: ${fmtRatios(r.ratio)}`);
    }
    console.log(JSON.stringify({ sizeMB: SIZE_MB, rounds: ROUNDS, load: os.loadavg()[0], ...product, modes }));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    await b.stop();
  }
}

runBench(main);
