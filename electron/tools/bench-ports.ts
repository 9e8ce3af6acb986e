/**
 * npm run bench:ports — one real Berth (temp home), then:
 * host -> container TCP throughput through Berth's forward (the VM's network, and the SSH fallback) vs OpenSSH
 * `ssh -L` over the same VM, the same guest sshd and the same container, with the ratios and host CPU per MB.
 * Shared folders have their own bench: bench-shares.ts (`npm run bench:shares`).
 * Results print as a table and as JSON (last line) for the READMEs.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { TEST_IMAGE, ensureTestImage, sshArgs, startBerth, waitFor } from '../testing/vm-fixture';
import { runBench } from './run-bench';

const MB = 1 << 20;
const SIZE_MB = Number(process.env.BENCH_MB ?? 64);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const GUEST_PORT = 18090;
const GUEST_SSH_PORT = 18092;
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

type PathName = 'berth' | 'berth ssh' | 'ssh -L' | 'ssh -L gcm';

async function main(): Promise<void> {
  console.error('booting a Berth VM (temp home)…');
  const b = await startBerth();
  let ssh: ReturnType<typeof spawn>[] = [];
  try {
    await ensureTestImage(b);
    await b.docker('rm', '-f', 'bench-sink').catch(() => undefined);
    // -ll -e: a fresh `cat >/dev/null; echo done` per connection, so "done" proves every byte arrived. Published
    // twice: on every guest address (Berth serves it through the VM's network) and on the guest's loopback only
    // (which only the SSH path reaches: Berth's fallback, the path every port took before).
    await b.docker('run', '-d', '--name', 'bench-sink', '-p', `${GUEST_PORT}:9000`, '-p', `127.0.0.1:${GUEST_SSH_PORT}:9000`, TEST_IMAGE,
      '/bin/busybox', 'nc', '-ll', '-p', '9000', '-e', '/bin/busybox', 'sh', '-c', '/bin/busybox cat >/dev/null; echo done');
    const c = await b.client();
    const table = await waitFor(() => c.call('ports.list', {}), (t) => [GUEST_PORT, GUEST_SSH_PORT].every((p) => t.some((f) => f.hostPort === p && f.state === 'forwarded')), 30_000, 'berth forwards').catch((err: Error) => {
      // The agent's own account of the forwards, before the temp home goes away.
      for (const f of fs.readdirSync(b.paths.logs)) console.error(`${f}:\n${fs.readFileSync(path.join(b.paths.logs, f), 'utf8').split('\n').slice(-60).join('\n')}`);
      throw err;
    });
    const via = (port: number) => table.find((f) => f.hostPort === port)?.via;
    if (via(GUEST_PORT) !== 'hypervisor' || via(GUEST_SSH_PORT) !== 'ssh') throw new Error(`unexpected paths: ${GUEST_PORT} via ${via(GUEST_PORT)}, ${GUEST_SSH_PORT} via ${via(GUEST_SSH_PORT)}`);
    const st = await c.call('vm.status', {});
    const agentPid = (await c.call('agent.info', {})).pid;
    c.close();
    if (st.vm.state !== 'running') throw new Error('VM not running');
    const sshPort = st.vm.sshPort;
    const qemuPid = st.vm.pid;

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
    const paths: Record<PathName, number> = { berth: GUEST_PORT, 'berth ssh': GUEST_SSH_PORT, 'ssh -L': SSH_LOCAL_PORT, 'ssh -L gcm': SSH_GCM_PORT };
    const names = Object.keys(paths) as PathName[];
    // Warm-up: page in the sink, the ciphers' code paths and TCP windows on every path.
    for (const port of Object.values(paths)) await upload(port, 16 * MB);
    const rates = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<PathName, number[]>;
    // Host CPU per MB moved, on two processes: the host end of the path (the agent, or the ssh client), and QEMU,
    // which runs the guest (sshd decrypting, docker-proxy, the TCP stack) and, on the VM-network path, slirp.
    // Far less sensitive to the shared machine's load than MB/s.
    const cpu = Object.fromEntries(names.map((n) => [n, { host: 0, qemu: 0 }])) as Record<PathName, { host: number; qemu: number }>;
    // Neither is idle-free (keep-alives, engine checks, the guest's timers): measure their idle rates and subtract.
    const idle0 = { agent: cpuMs(agentPid), qemu: cpuMs(qemuPid), at: Date.now() };
    await new Promise((r) => setTimeout(r, 10_000));
    const idleSecs = (Date.now() - idle0.at) / 1000;
    const idleMsPerSec = { agent: (cpuMs(agentPid) - idle0.agent) / idleSecs, qemu: (cpuMs(qemuPid) - idle0.qemu) / idleSecs };
    const hostPid: Record<PathName, number> = { berth: agentPid, 'berth ssh': agentPid, 'ssh -L': tunnels[0].pid!, 'ssh -L gcm': tunnels[1].pid! };
    const ratio = { vmNet: [] as number[], vmNetGcm: [] as number[], ssh: [] as number[], sshGcm: [] as number[] };
    for (let i = 0; i < ROUNDS; i++) {
      // Paired rounds in alternating order: the machine is shared, so load drifts between measurements.
      const order = i % 2 ? [...names].reverse() : names;
      for (const name of order) {
        const c0 = { host: cpuMs(hostPid[name]), qemu: cpuMs(qemuPid) };
        const t0 = Date.now();
        rates[name].push(await upload(paths[name], bytes));
        const secs = (Date.now() - t0) / 1000;
        cpu[name].host += cpuMs(hostPid[name]) - c0.host - (name.startsWith('berth') ? idleMsPerSec.agent * secs : 0);
        cpu[name].qemu += cpuMs(qemuPid) - c0.qemu - idleMsPerSec.qemu * secs;
      }
      ratio.vmNet.push(rates.berth[i] / rates['ssh -L'][i]);
      ratio.vmNetGcm.push(rates.berth[i] / rates['ssh -L gcm'][i]);
      ratio.ssh.push(rates['berth ssh'][i] / rates['ssh -L'][i]);
      ratio.sshGcm.push(rates['berth ssh'][i] / rates['ssh -L gcm'][i]);
      console.error(`round ${i + 1}: ${order.map((n) => `${n} ${rates[n][i].toFixed(1)}`).join(', ')} MB/s; berth/ssh -L ${ratio.vmNet[i].toFixed(2)}x`);
    }
    const perMB = (ms: number) => ms / (SIZE_MB * ROUNDS);
    const fwd = {
      sizeMB: SIZE_MB,
      rounds: ROUNDS,
      loadAverage: os.loadavg()[0],
      MBps: Object.fromEntries(names.map((n) => [n, median(rates[n])])) as Record<PathName, number>,
      idleCpuMsPerSec: idleMsPerSec,
      hostCpuMsPerMB: Object.fromEntries(names.map((n) => [n, { host: perMB(cpu[n].host), qemu: perMB(cpu[n].qemu) }])) as Record<PathName, { host: number; qemu: number }>,
      ratio: median(ratio.vmNet),
      ratioSameCipher: median(ratio.vmNetGcm),
      sshPathRatio: median(ratio.ssh),
      sshPathRatioSameCipher: median(ratio.sshGcm),
    };

    const cpuText = (n: PathName) => {
      const c = fwd.hostCpuMsPerMB[n];
      return `${(c.host + c.qemu).toFixed(1)} ms (${n.startsWith('berth') ? 'agent' : 'ssh'} ${c.host.toFixed(2)} + QEMU ${c.qemu.toFixed(1)})`;
    };
    const label: Record<PathName, string> = {
      berth: "berth, the VM's network (QEMU user net)",
      'berth ssh': 'berth, SSH channel (fallback: guest loopback)',
      'ssh -L': 'ssh -L, OpenSSH default cipher',
      'ssh -L gcm': 'ssh -L -c aes128-gcm@openssh.com',
    };
    console.log(`\nport forward, host -> container, ${SIZE_MB} MB x ${ROUNDS} rounds (medians; load average ${fwd.loadAverage.toFixed(1)}):`);
    for (const n of names) console.log(`  ${label[n].padEnd(46)} ${fwd.MBps[n].toFixed(1).padStart(6)} MB/s   host CPU per MB ${cpuText(n)}`);
    console.log(`  ratio   ${fwd.ratio.toFixed(2)}x vs ssh -L, ${fwd.ratioSameCipher.toFixed(2)}x vs ssh -L aes128-gcm (median of paired rounds; goal >= 3x)`);
    console.log(`  SSH fallback: ${fwd.sshPathRatio.toFixed(2)}x vs ssh -L, ${fwd.sshPathRatioSameCipher.toFixed(2)}x with the same cipher`);
    console.log(`  (idle subtracted: agent ${fwd.idleCpuMsPerSec.agent.toFixed(1)} ms/s, QEMU ${fwd.idleCpuMsPerSec.qemu.toFixed(1)} ms/s)`);
    console.log(JSON.stringify({ forward: fwd }));
  } finally {
    for (const p of ssh) p.kill();
    await b.docker('rm', '-f', 'bench-sink').catch(() => undefined);
    await b.stop();
  }
}

runBench(main);
