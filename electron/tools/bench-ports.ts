/**
 * npm run bench:ports — one real Berth (temp home), then host -> container TCP throughput through Berth's forward
 * vs OpenSSH `ssh -L` over the same VM, the same guest sshd and the same published port (only the host side
 * differs), with the ratio. Shared folders have their own bench: bench-shares.ts (`npm run bench:shares`).
 * Results print as a table and as JSON (last line) for the READMEs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { TEST_IMAGE, ensureTestImage, sshArgs, startBerth, waitFor } from '../testing/vm-fixture';
import { runBench } from './run-bench';

const MB = 1 << 20;
const SIZE_MB = Number(process.env.BENCH_MB ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const GUEST_PORT = 18090;
const SSH_LOCAL_PORT = 18190;
const SSH_GCM_PORT = 18191;

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

/** User+system CPU of a process in ms (Linux /proc; clock ticks at 100 Hz). */
function cpuMs(pid: number): number {
  try {
    const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return NaN;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function portOpen(port: number): Promise<boolean> {
  return new Promise((r) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), r(true)));
    s.once('error', () => r(false));
  });
}

async function main(): Promise<void> {
  console.error('booting a Berth VM (temp home)…');
  const b = await startBerth();
  let ssh: ReturnType<typeof spawn>[] = [];
  try {
    await ensureTestImage(b);
    await b.docker('rm', '-f', 'bench-sink').catch(() => undefined);
    // -ll -e: a fresh `cat >/dev/null; echo done` per connection, so "done" proves every byte arrived.
    await b.docker('run', '-d', '--name', 'bench-sink', '-p', `${GUEST_PORT}:9000`, TEST_IMAGE,
      '/bin/busybox', 'nc', '-ll', '-p', '9000', '-e', '/bin/busybox', 'sh', '-c', '/bin/busybox cat >/dev/null; echo done');
    const c = await b.client();
    await waitFor(() => c.call('ports.list', {}), (t) => t.some((f) => f.hostPort === GUEST_PORT && f.state === 'forwarded'), 30_000, 'berth forward');
    const st = await c.call('vm.status', {});
    const agentPid = (await c.call('agent.info', {})).pid;
    c.close();
    if (st.vm.state !== 'running') throw new Error('VM not running');
    const sshPort = st.vm.sshPort;

    // OpenSSH twice: with its default cipher (chacha20-poly1305), and with the one ssh2 negotiates here
    // (aes128-gcm), which separates "Berth's forwarding" from "which cipher the TCG guest decrypts faster".
    const tunnels = [
      spawn('ssh', ['-N', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${SSH_LOCAL_PORT}:127.0.0.1:${GUEST_PORT}`, ...sshArgs(b, sshPort)], { stdio: 'inherit' }),
      spawn('ssh', ['-N', '-c', 'aes128-gcm@openssh.com', '-o', 'ExitOnForwardFailure=yes', '-L', `127.0.0.1:${SSH_GCM_PORT}:127.0.0.1:${GUEST_PORT}`, ...sshArgs(b, sshPort)], { stdio: 'inherit' }),
    ];
    ssh = tunnels;
    await waitFor(() => portOpen(SSH_LOCAL_PORT), (ok) => ok, 15_000, 'ssh -L');
    await waitFor(() => portOpen(SSH_GCM_PORT), (ok) => ok, 15_000, 'ssh -L (gcm)');

    const bytes = SIZE_MB * MB;
    const paths = { berth: GUEST_PORT, 'ssh -L': SSH_LOCAL_PORT, 'ssh -L gcm': SSH_GCM_PORT } as const;
    type PathName = keyof typeof paths;
    // Warm-up: page in the sink, the ciphers' code paths and TCP windows on every path.
    for (const port of Object.values(paths)) await upload(port, 16 * MB);
    const rates: Record<PathName, number[]> = { berth: [], 'ssh -L': [], 'ssh -L gcm': [] };
    // Host CPU per MB moved: the part of the path Berth owns, and far less sensitive to the shared machine's
    // load than MB/s (the TCG guest, not the host side, limits MB/s here).
    const cpu: Record<PathName, number> = { berth: 0, 'ssh -L': 0, 'ssh -L gcm': 0 };
    // The agent is not idle-free (keep-alives, engine checks): measure its idle CPU rate and subtract it.
    const idle0 = { cpu: cpuMs(agentPid), at: Date.now() };
    await new Promise((r) => setTimeout(r, 10_000));
    const agentIdleMsPerSec = (cpuMs(agentPid) - idle0.cpu) / ((Date.now() - idle0.at) / 1000);
    const hostPid: Record<PathName, number> = { berth: agentPid, 'ssh -L': tunnels[0].pid!, 'ssh -L gcm': tunnels[1].pid! };
    const ratios: number[] = [];
    const ratiosGcm: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      // Paired rounds in alternating order: the machine is shared, so load drifts between measurements.
      const order = (Object.keys(paths) as PathName[]);
      if (i % 2) order.reverse();
      for (const name of order) {
        const c0 = cpuMs(hostPid[name]);
        const t0 = Date.now();
        rates[name].push(await upload(paths[name], bytes));
        const idle = name === 'berth' ? (agentIdleMsPerSec * (Date.now() - t0)) / 1000 : 0;
        cpu[name] += cpuMs(hostPid[name]) - c0 - idle;
      }
      ratios.push(rates.berth[i] / rates['ssh -L'][i]);
      ratiosGcm.push(rates.berth[i] / rates['ssh -L gcm'][i]);
      console.error(`round ${i + 1}: ${order.map((n) => `${n} ${rates[n][i].toFixed(1)}`).join(', ')} MB/s; berth/ssh -L ${ratios[i].toFixed(2)}x`);
    }
    const fwd = {
      sizeMB: SIZE_MB,
      rounds: ROUNDS,
      berthMBps: median(rates.berth),
      sshLMBps: median(rates['ssh -L']),
      sshLGcmMBps: median(rates['ssh -L gcm']),
      agentIdleCpuMsPerSec: agentIdleMsPerSec,
      hostCpuMsPerMB: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, v / (SIZE_MB * ROUNDS)])),
      ratio: median(ratios),
      ratioSameCipher: median(ratiosGcm),
    };

    console.log(`\nport forward, host -> container, ${SIZE_MB} MB x ${ROUNDS} rounds (medians):`);
    console.log(`  berth   ${fwd.berthMBps.toFixed(1)} MB/s`);
    console.log(`  ssh -L  ${fwd.sshLMBps.toFixed(1)} MB/s (OpenSSH default cipher)`);
    console.log(`  ssh -L  ${fwd.sshLGcmMBps.toFixed(1)} MB/s (-c aes128-gcm@openssh.com, the cipher Berth's ssh2 negotiates)`);
    console.log(`  ratio   ${fwd.ratio.toFixed(2)}x vs ssh -L, ${fwd.ratioSameCipher.toFixed(2)}x vs ssh -L with the same cipher (median of paired rounds; goal >= 1.0x)`);
    console.log(`  host CPU per MB: ${Object.entries(fwd.hostCpuMsPerMB).map(([k, v]) => `${k} ${v.toFixed(2)} ms`).join(', ')} (agent idle ${fwd.agentIdleCpuMsPerSec.toFixed(1)} ms/s subtracted)`);
    console.log(JSON.stringify({ forward: fwd }));
  } finally {
    for (const p of ssh) p.kill();
    await b.docker('rm', '-f', 'bench-sink').catch(() => undefined);
    await b.stop();
  }
}

runBench(main);
