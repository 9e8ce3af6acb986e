/**
 * npm run bench:shares — one real Berth (temp home, two temp folders shared: one as the product shares it,
 * over virtiofs when the host has a virtiofsd, and one kept on 9p with BERTH_SHARES_9P), then in the VM, in paired
 * rounds of alternating order: sequential write/read and the small-files test (share-workload.ts) on each shared
 * folder and on the guest's own disk (the ext4 data disk). Prints share/disk ratios per figure (median of the
 * per-round ratios; goal >= 0.5x) and JSON (last line) for the READMEs.
 *
 * BENCH_SHARE_MODES=readahead,mmap,loose also measures those 9p cache modes (remounting the 9p share; one run
 * each, against the disk's median), for the trade-off table in electron/shares/README.md. BERTH_VIRTIOFS_CACHE
 * (auto, never, metadata, always) sets virtiofsd's cache policy for the run. BENCH_READ_AHEAD_KB sets the virtiofs
 * mount's FUSE read-ahead in the guest for the run (the guest sets 1024; the kernel's own default is 128).
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
const READ_AHEAD_KB = process.env.BENCH_READ_AHEAD_KB;
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
  const nine = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-9p-'));
  const b = await startBerth({ extraShares: [nine], env: { BERTH_SHARES_9P: nine } });
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
    const nineLine = (await sh(`grep ' ${nine} ' /proc/mounts`)).trim();
    const transport = mountLine.split(' ')[2];
    const bdi = `/sys/class/bdi/$(mountpoint -d ${share})/read_ahead_kb`;
    if (READ_AHEAD_KB) await sh(`echo ${Number(READ_AHEAD_KB)} > ${bdi}`);
    const readAheadKb = Number((await sh(`cat ${bdi}`)).trim());

    // The tarball reaches the guest through the share once, untimed, and is read from the guest's tmpfs after.
    fs.copyFileSync(makeTreeTarball(work), path.join(share, 'tree.tar'));
    await sh(`cp ${share}/tree.tar ${GUEST_TARBALL}`);
    fs.rmSync(path.join(share, 'tree.tar'));

    const once = async (dir: string) => parseWorkload(await sh(workloadScript(dir, GUEST_TARBALL, SIZE_MB)));
    const shareRuns: WorkloadResult[] = [];
    const nineRuns: WorkloadResult[] = [];
    const diskRuns: WorkloadResult[] = [];
    const paired: Ratios[] = [];
    const pairedNine: Ratios[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Alternating order: the machine is shared, and its load drifts between measurements.
      const order = i % 2 === 0 ? ['share', 'disk', '9p'] : ['9p', 'disk', 'share'];
      for (const which of order) {
        if (which === 'share') shareRuns.push(await once(share));
        else if (which === '9p') nineRuns.push(await once(nine));
        else diskRuns.push(await once(DISK_DIR));
      }
      paired.push(ratios(shareRuns[i], diskRuns[i]));
      pairedNine.push(ratios(nineRuns[i], diskRuns[i]));
      console.error(
        `round ${i + 1}:\n${line(transport, shareRuns[i])}\n${line('9p', nineRuns[i])}\n${line('disk', diskRuns[i])}\n` +
          `  ${transport}/disk ${fmtRatios(paired[i])}\n  9p/disk ${fmtRatios(pairedNine[i])}`,
      );
    }
    const medianRatios = (ps: Ratios[]): Ratios => ({
      write: median(ps.map((p) => p.write)),
      read: median(ps.map((p) => p.read)),
      smallFiles: median(ps.map((p) => p.smallFiles)),
    });
    const product = { transport, share: medianOf(shareRuns), disk: medianOf(diskRuns), ratio: medianRatios(paired) };
    const ninep = { share: medianOf(nineRuns), ratio: medianRatios(pairedNine) };

    const modes: Record<string, { share: WorkloadResult; ratio: Ratios }> = {};
    try {
      for (const mode of EXTRA_MODES) {
        await sh(remountScript(nine, mode));
        const r = await once(nine);
        modes[mode] = { share: r, ratio: ratios(r, product.disk) };
        console.error(`cache=${mode}:\n${line('share', r)}`);
      }
    } finally {
      if (EXTRA_MODES.length) await sh(remountScript(nine, 'none'));
    }

    console.log(`\nshared folder vs the guest's own disk, in the VM (${ROUNDS} paired rounds, medians; goal >= 0.5x each)`);
    console.log(`  share mounts: ${mountLine} (read-ahead ${readAheadKb} KiB)\n                ${nineLine}`);
    console.log(`  sequential: dd bs=1M, ${SIZE_MB} MiB, write with conv=fsync, read after drop_caches`);
    console.log(`  small files: untar ${product.share.entries - 1} entries (2,000 files of 0.1-8 KB), find | wc -l, cat all (caches dropped)`);
    console.log(line(`share (${transport})`, product.share));
    console.log(line('share (9p, cache=none)', ninep.share));
    console.log(line(`guest disk (${DISK_DIR})`, product.disk));
    console.log(`  ${transport}/disk: ${fmtRatios(product.ratio)}`);
    console.log(`  9p/disk: ${fmtRatios(ninep.ratio)}`);
    for (const [mode, r] of Object.entries(modes)) {
      console.log(`${line(`share (9p, cache=${mode})`, r.share)}\n    vs disk median: ${fmtRatios(r.ratio)}`);
    }
    console.log(JSON.stringify({ sizeMB: SIZE_MB, rounds: ROUNDS, load: os.loadavg()[0], readAheadKb, ...product, ninep, modes }));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(nine, { recursive: true, force: true });
    await b.stop();
  }
}

runBench(main);
