/**
 * Engine latency and start time, measured end to end on this machine:
 *   1. `berth start` (CLI -> agent -> VM boot -> tunnel -> dockerd answering), cold (fresh data disk) and warm;
 *      broken down from the agent's log into the guest's own boot (QEMU start to its engine ready) and what
 *      the host adds around it (start-timeline.ts);
 *   2. GET /_ping round trip: dockerode through the SSH tunnel, the host socket (the docker CLI's path), and the
 *      same request made inside the guest against /var/run/docker.sock, timed in-guest;
 * then writes the figures into electron/engine/README.md between the bench markers.
 *
 *   npm run bench:engine            (BERTH_BENCH_N=300 for more samples, BERTH_BENCH_KEEP=1 to keep the VM up,
 *                                    BERTH_BENCH_WARM=5 for more warm starts: each row is their median)
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { berthPaths } from '../base/paths';
import { connectAgent } from '../agent/client';
import { createDocker } from '../engine/docker';
import { HostKeyPin } from '../engine/ssh-keys';
import { Tunnel } from '../engine/tunnel';
// @ts-expect-error: a plain .mjs module without types (bin.mjs's helper)
import { freshBundle } from '../cli/fresh-bundle.mjs';
import { startBreakdown, startTimeline, type StartBreakdownRow, type StartTimeline } from './start-timeline';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'electron/cli/bin.mjs');
const README = fileURLToPath(new URL('../engine/README.md', import.meta.url));
const N = Number(process.env.BERTH_BENCH_N ?? 200);
// Other work on the same two cores moves a single start by a second or more: the warm rows are medians.
const WARM = Math.max(1, Number(process.env.BERTH_BENCH_WARM ?? 3));

const home = process.env.BERTH_HOME ?? fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-'));
// The docker context goes to a scratch DOCKER_CONFIG: a benchmark must not leave a context in the user's.
const env = { ...process.env, BERTH_HOME: home, DOCKER_CONFIG: path.join(home, 'docker-config') };
const paths = berthPaths(home);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
const ms = (x: number) => `${x.toFixed(2)} ms`;

/** `berth start`, timed, with its timeline read from what the agent logged meanwhile. */
async function timedStart(extraEnv: Record<string, string> = {}): Promise<{ wallMs: number; out: string; timeline: StartTimeline }> {
  const log = path.join(paths.logs, 'agent.log');
  const offset = fs.existsSync(log) ? fs.statSync(log).size : 0;
  const launchedAt = Date.now();
  const r = await berthWith(extraEnv, 'start');
  const doneAt = Date.now();
  const text = fs.readFileSync(log, 'utf8').slice(offset);
  return { ...r, timeline: startTimeline(text, launchedAt, doneAt) };
}

async function berthWith(extraEnv: Record<string, string>, ...args: string[]): Promise<{ wallMs: number; out: string }> {
  const t0 = performance.now();
  const { stdout } = await run(process.execPath, [BIN, ...args], { env: { ...env, ...extraEnv }, cwd: ROOT, maxBuffer: 8 << 20 });
  return { wallMs: performance.now() - t0, out: stdout };
}
const berth = (...args: string[]) => berthWith({}, ...args);

async function timeLoop(n: number, fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await fn(); // warm-up: connections, JIT
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await fn();
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * In-guest client: perl-base has sockets but no Time::HiRes, so the clock is clock_gettime(CLOCK_MONOTONIC)
 * through syscall(2). One keep-alive connection, like the host-side agent.
 */
function guestPingScript(n: number, arch: string): string {
  const nr = arch === 'aarch64' ? 113 : 228;
  return `perl -e '
use IO::Socket::UNIX;
sub now { my $ts = "\\0" x 16; syscall(${nr}, 1, $ts) == 0 or die "clock"; my ($s, $ns) = unpack("q q", $ts); return $s * 1000 + $ns / 1e6 }
my $s = IO::Socket::UNIX->new(Peer => "/var/run/docker.sock") or die "connect: $!";
sub ping { syswrite($s, "GET /_ping HTTP/1.1\\r\\nHost: docker\\r\\n\\r\\n"); my $b = "";
  while (1) { sysread($s, my $c, 65536) or die "eof"; $b .= $c;
    if ($b =~ /\\r\\n\\r\\n/) { my ($h, $body) = split(/\\r\\n\\r\\n/, $b, 2); my ($cl) = $h =~ /Content-Length: (\\d+)/i; return if defined $cl && length($body) >= $cl } } }
ping() for 1..10;
for (1..${n}) { my $t = now(); ping(); printf("%.4f\\n", now() - $t) }'`;
}

async function main(): Promise<void> {
  console.log(`BERTH_HOME=${home}  samples=${N}`);
  if (fs.existsSync(paths.agentSocket)) throw new Error('an agent already runs for this BERTH_HOME; use a fresh one');
  // The CLI's bundles are rebuilt after a source change (electron/cli/fresh-bundle.mjs): not part of a start.
  await berth('help');
  await freshBundle(ROOT, 'electron/cli/early-agent.ts');
  // Accelerator as the user would have it; a fresh home on a KVM-broken host pays the probe once (cold start).
  const cold = await timedStart();
  process.stdout.write(cold.out);
  const warms: Awaited<ReturnType<typeof timedStart>>[] = [];
  for (let i = 0; i < WARM; i++) {
    await berth('stop');
    warms.push(await timedStart());
    process.stdout.write(warms[i].out);
  }
  // Baseline for the host's part, same run: the sources run through tsx's loader instead of the CLI bundle.
  await berth('stop');
  const unbundled = await timedStart({ BERTH_NO_BUNDLE: '1' });
  process.stdout.write(unbundled.out);

  const client = await connectAgent(paths);
  const detail = await client.call('vm.status', {});
  client.close();
  if (detail.vm.state !== 'running') throw new Error(`VM not running: ${JSON.stringify(detail.vm)}`);
  const key = fs.readFileSync(path.join(paths.vm, 'id_ed25519'), 'utf8');
  const tunnel = new Tunnel({ target: () => ({ host: '127.0.0.1', port: detail.vm.state === 'running' ? detail.vm.sshPort : 0 }), privateKey: key, pin: HostKeyPin.in(paths.vm) });
  await tunnel.connect(30_000);
  const { docker, agent } = createDocker(tunnel);

  const viaTunnel = await timeLoop(N, () => docker.ping());
  const hostAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const viaSocket = await timeLoop(N, () =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ socketPath: paths.dockerSocket, path: '/_ping', agent: hostAgent }, (res) => {
          res.resume();
          res.on('end', () => resolve());
        })
        .on('error', reject);
    }),
  );
  const arch = (await tunnel.exec('uname -m')).stdout.trim();
  const g = await tunnel.exec(guestPingScript(N, arch));
  const inGuest = g.stdout.split('\n').filter(Boolean).map(Number);
  if (inGuest.length < N) console.error(`in-guest timing failed: ${g.stderr}`);
  const freshChannel = await timeLoop(Math.min(N, 100), async () => {
    const ch = await tunnel.streamLocal('/var/run/docker.sock');
    await new Promise<void>((resolve) => {
      let b = '';
      ch.on('data', (d: Buffer) => {
        b += d.toString();
        if (b.includes('\r\n\r\nOK')) resolve();
      });
      ch.write('GET /_ping HTTP/1.1\r\nHost: docker\r\n\r\n');
    });
    ch.close();
  });
  agent.destroy();
  hostAgent.destroy();
  tunnel.close();

  const guestMed = inGuest.length ? median(inGuest) : NaN;
  const rows = [
    ['in the guest (perl, unix socket, keep-alive)', inGuest],
    ['host: dockerode via the SSH tunnel (keep-alive agent)', viaTunnel],
    ['host: the host docker.sock (raw pipe, keep-alive)', viaSocket],
    ['host: a fresh tunnel channel per request', freshChannel],
  ] as const;
  const lines: string[] = [];
  // Other VMs on the same cores skew everything under TCG: say how busy the host was.
  const qemus = (await run('pgrep', ['-c', 'qemu-system']).catch(() => ({ stdout: '?' }))).stdout.trim();
  lines.push(
    `Measured ${new Date().toISOString().slice(0, 16)}Z on ${os.cpus().length} cores (${os.cpus()[0]?.model.trim()}), accel ${detail.vm.accel}, ` +
      `${N} samples each; load average ${os.loadavg()[0].toFixed(1)}, ${qemus} QEMU processes running (ours included).`,
  );
  lines.push('');
  lines.push('| GET /_ping round trip | median | p90 | vs in-guest |');
  lines.push('|---|---|---|---|');
  for (const [name, xs] of rows) {
    if (!xs.length) continue;
    lines.push(`| ${name} | ${ms(median(xs))} | ${ms(p90(xs))} | ${(median(xs) / guestMed).toFixed(1)}x |`);
  }
  lines.push('');
  lines.push('| `berth start` until the engine answers | wall time |');
  lines.push('|---|---|');
  lines.push(`| cold (agent start, new data disk, accelerator probe if any) | ${(cold.wallMs / 1000).toFixed(1)} s |`);
  lines.push(`| warm (agent started again, existing data disk, accelerator remembered; median of ${WARM}) | ${(median(warms.map((w) => w.wallMs)) / 1000).toFixed(1)} s |`);
  lines.push('');
  lines.push(`| Where a \`berth start\` goes (from the agent's log) | cold | warm (median of ${WARM}) | warm, sources through tsx (baseline) |`);
  lines.push('|---|---|---|---|');
  const sec = (x: number | null) => (x === null ? '?' : `${(x / 1000).toFixed(2)} s`);
  const one = (r: Awaited<ReturnType<typeof timedStart>>) => ({ rows: startBreakdown(r.timeline), total: r.timeline.cliDone });
  const hostAdds = (rows: StartBreakdownRow[]) => rows.filter((r) => r.host && !r.mark).reduce((a, r) => a + (r.ms ?? NaN), 0);
  const guestOwn = (rows: StartBreakdownRow[]) => rows.find((r) => !r.host)?.ms ?? NaN;
  const warmRuns = warms.map(one);
  // Each warm row is the median of that row over the warm starts; so are the sum and the ratio (of the starts).
  const warmRow = (i: number) => {
    const xs = warmRuns.map((w) => w.rows[i].ms).filter((x): x is number => x !== null);
    return xs.length ? median(xs) : null;
  };
  const columns = [
    { rows: one(cold).rows, adds: hostAdds(one(cold).rows), ratio: one(cold).total / guestOwn(one(cold).rows) },
    { rows: warmRuns[0].rows.map((r, i) => ({ ...r, ms: warmRow(i) })), adds: median(warmRuns.map((w) => hostAdds(w.rows))), ratio: median(warmRuns.map((w) => w.total / guestOwn(w.rows))) },
    { rows: one(unbundled).rows, adds: hostAdds(one(unbundled).rows), ratio: one(unbundled).total / guestOwn(one(unbundled).rows) },
  ];
  columns[0].rows.forEach((r, i) => lines.push(`| ${r.host ? r.part : `**${r.part}**`} | ${columns.map((x) => sec(x.rows[i].ms)).join(' | ')} |`));
  lines.push(`| the host adds (goal: at most 0.5 s) | ${columns.map((x) => sec(x.adds)).join(' | ')} |`);
  lines.push(`| ratio: whole start / the guest's own boot | ${columns.map((x) => x.ratio.toFixed(2)).join(' | ')} |`);
  if (WARM > 1) lines.push(`\nThe host's addition in each warm start: ${warmRuns.map((w) => sec(hostAdds(w.rows))).join(', ')}.`);
  const section = lines.join('\n');
  console.log(`\n${section}\n`);

  const readme = fs.existsSync(README) ? fs.readFileSync(README, 'utf8') : '';
  const begin = '<!-- bench:engine begin -->';
  const end = '<!-- bench:engine end -->';
  const block = `${begin}\n${section}\n${end}`;
  const next = readme.includes(begin)
    ? readme.replace(new RegExp(`${begin}[\\s\\S]*?${end}`), block)
    : `${readme.trimEnd()}\n\n## Measured (npm run bench:engine)\n\n${block}\n`;
  fs.writeFileSync(README, next);

  if (!process.env.BERTH_BENCH_KEEP) await berth('stop');
  if (!process.env.BERTH_HOME) fs.rmSync(home, { recursive: true, force: true });
}

main().then(
  () => process.exit(0),
  async (err) => {
    console.error(err);
    await berth('stop').catch(() => undefined);
    process.exit(1);
  },
);
