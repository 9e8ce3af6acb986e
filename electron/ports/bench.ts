/**
 * npm run bench:ports — one real Berth (temp home), then:
 *  1. host -> container TCP throughput through Berth's forward vs OpenSSH `ssh -L` over the same VM, the same
 *     guest sshd and the same published port (only the host side differs), with the ratio;
 *  2. shared-folder (9p) sequential write/read in the VM vs the guest's own disk (the data disk).
 * Results print as a table and as JSON (last line) for the READMEs.
 */
import { execFile, spawn } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { TEST_IMAGE, ensureTestImage, sshArgs, startBerth, waitFor, type BerthUnderTest } from './testing/vm-fixture';

const run = promisify(execFile);
const MB = 1 << 20;
const SIZE_MB = Number(process.env.BENCH_MB ?? 128);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GUEST_PORT = 18090;
const SSH_LOCAL_PORT = 18190;

/** Sends `bytes` and waits for the sink's "done", which it writes only after reading everything. */
function upload(port: number, bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const s = net.connect(port, '127.0.0.1');
    s.setNoDelay(true);
    let got = '';
    const chunk = Buffer.alloc(MB, 7);
    let sent = 0;
    const pump = () => {
      while (sent < bytes) {
        sent += chunk.length;
        if (!s.write(chunk)) return void s.once('drain', pump);
      }
      s.end();
    };
    s.on('connect', pump);
    s.on('data', (d) => (got += d.toString()));
    s.on('error', reject);
    s.on('close', () => {
      if (got.trim() !== 'done') return reject(new Error(`sink answered ${JSON.stringify(got)}`));
      const secs = Number(process.hrtime.bigint() - t0) / 1e9;
      resolve(bytes / MB / secs);
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function portOpen(port: number): Promise<boolean> {
  return new Promise((r) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), r(true)));
    s.once('error', () => r(false));
  });
}

async function guestSh(b: BerthUnderTest, sshPort: number, script: string): Promise<string> {
  return (await run('ssh', [...sshArgs(b, sshPort), script], { maxBuffer: 1 << 20 })).stdout;
}

/** MB/s from busybox or coreutils dd's summary line (written to stderr, folded into stdout here). */
function ddRate(out: string, mb: number, fallbackSecs?: number): number {
  const secs = /copied, ([\d.]+) s/.exec(out)?.[1] ?? /([\d.]+) seconds/.exec(out)?.[1];
  return mb / Number(secs ?? fallbackSecs ?? NaN);
}

async function main(): Promise<void> {
  console.error('booting a Berth VM (temp home)…');
  const b = await startBerth();
  let ssh: ReturnType<typeof spawn> | null = null;
  try {
    await ensureTestImage(b);
    await b.docker('rm', '-f', 'bench-sink').catch(() => undefined);
    // -ll -e: a fresh `cat >/dev/null; echo done` per connection, so "done" proves every byte arrived.
    await b.docker('run', '-d', '--name', 'bench-sink', '-p', `${GUEST_PORT}:9000`, TEST_IMAGE,
      '/bin/busybox', 'nc', '-ll', '-p', '9000', '-e', '/bin/busybox', 'sh', '-c', '/bin/busybox cat >/dev/null; echo done');
    const c = await b.client();
    await waitFor(() => c.call('ports.list', {}), (t) => t.some((f) => f.hostPort === GUEST_PORT && f.state === 'forwarded'), 30_000, 'berth forward');
    const st = await c.call('vm.status', {});
    c.close();
    if (st.vm.state !== 'running') throw new Error('VM not running');
    const sshPort = st.vm.sshPort;

    ssh = spawn('ssh', ['-N', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${SSH_LOCAL_PORT}:127.0.0.1:${GUEST_PORT}`, ...sshArgs(b, sshPort)], { stdio: 'inherit' });
    await waitFor(() => portOpen(SSH_LOCAL_PORT), (ok) => ok, 15_000, 'ssh -L');

    const bytes = SIZE_MB * MB;
    // Warm-up: page in the sink, the ciphers' code paths and TCP windows on both paths.
    await upload(GUEST_PORT, 16 * MB);
    await upload(SSH_LOCAL_PORT, 16 * MB);
    const berth: number[] = [];
    const openssh: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      berth.push(await upload(GUEST_PORT, bytes));
      openssh.push(await upload(SSH_LOCAL_PORT, bytes));
      console.error(`round ${i + 1}: berth ${berth.at(-1)!.toFixed(1)} MB/s, ssh -L ${openssh.at(-1)!.toFixed(1)} MB/s`);
    }
    const fwd = { sizeMB: SIZE_MB, rounds: ROUNDS, berthMBps: median(berth), sshLMBps: median(openssh), ratio: median(berth) / median(openssh) };

    // Shared folder vs guest disk, measured in the guest (what a container's bind mount sees).
    const share = b.shareDir;
    const disk = '/var/lib/docker/berth-bench';
    const fsMb = Math.min(SIZE_MB, 128);
    const fsResults: Record<string, { writeMBps: number; readMBps: number }> = {};
    for (const [name, dir] of [['share (9p)', share], ['guest disk (ext4)', disk]] as const) {
      const out = await guestSh(b, sshPort, [
        'DD=dd; command -v dd >/dev/null || DD="busybox dd"',
        `mkdir -p ${dir}`,
        `$DD if=/dev/zero of=${dir}/bench.bin bs=1M count=${fsMb} conv=fsync 2>&1 | tail -1`,
        'sync; echo 3 > /proc/sys/vm/drop_caches',
        `$DD if=${dir}/bench.bin of=/dev/null bs=1M 2>&1 | tail -1`,
        `rm -f ${dir}/bench.bin`,
      ].join('\n'));
      const [w, r] = out.trim().split('\n');
      fsResults[name] = { writeMBps: ddRate(w, fsMb), readMBps: ddRate(r, fsMb) };
    }

    console.log(`\nport forward, host -> container, ${SIZE_MB} MB x ${ROUNDS} (median):`);
    console.log(`  berth   ${fwd.berthMBps.toFixed(1)} MB/s`);
    console.log(`  ssh -L  ${fwd.sshLMBps.toFixed(1)} MB/s`);
    console.log(`  ratio   ${fwd.ratio.toFixed(2)}x (goal >= 1.0x)`);
    console.log(`\nfiles in the VM, ${fsMb} MB sequential (dd bs=1M; write with fsync, read after drop_caches):`);
    for (const [name, r] of Object.entries(fsResults)) {
      console.log(`  ${name.padEnd(18)} write ${r.writeMBps.toFixed(1)} MB/s  read ${r.readMBps.toFixed(1)} MB/s`);
    }
    console.log(JSON.stringify({ forward: fwd, files: fsResults }));
  } finally {
    ssh?.kill();
    await b.docker('rm', '-f', 'bench-sink').catch(() => undefined);
    await b.stop();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
