/**
 * Resource Saver on a real VM (one boot for the file): the idle VM pauses (its QEMU stops using CPU), and a
 * docker CLI call on the host socket, an agent call (what the UI sends) and a connection to a forwarded port each
 * wake it and get their answer; the guest's clock is right after a wake and after QEMU was SIGSTOPped for 20 s.
 * The idle period is shortened through BERTH_RESOURCE_SAVER_IDLE_MS, an override read only from the environment
 * (the setting counts whole minutes).
 */
import { execFile } from 'node:child_process';
import net from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentClient } from '../agent/client';
import type { VmDetail } from '../contract/vm';
import { TEST_IMAGE, ensureTestImage, sshArgs, startBerth, waitFor, type BerthUnderTest } from '../testing/vm-fixture';
import { cpuTimeMs } from './process-info';
import { freePort } from '../../vm-images/test/launcher';

const run = promisify(execFile);
const IDLE_MS = 6000;
let b: BerthUnderTest;
let c: AgentClient;
let qemuPid = 0;
let sshPort = 0;

beforeAll(async () => {
  process.env.BERTH_RESOURCE_SAVER_IDLE_MS = String(IDLE_MS);
  b = await startBerth();
  delete process.env.BERTH_RESOURCE_SAVER_IDLE_MS;
  await ensureTestImage(b);
  c = await b.client();
  const st = await c.call('vm.status', {});
  if (st.vm.state !== 'running') throw new Error(`VM not running: ${st.vm.state}`);
  qemuPid = st.vm.pid;
  sshPort = st.vm.sshPort;
});

afterAll(async () => {
  if (qemuPid) process.kill(qemuPid, 'SIGCONT');
  c?.close();
  await b?.stop();
});

const status = () => c.call('vm.status', {});
const waitPaused = () => waitFor(status, (s) => s.saver?.state === 'paused', 60_000, 'Resource Saver to pause the VM');
const wakes = (s: VmDetail) => s.saver?.wakes ?? 0;

/** CPU QEMU used over `ms`, as a share of one core. */
async function qemuCpuShare(ms: number): Promise<number> {
  const a = cpuTimeMs(qemuPid)!;
  await new Promise((r) => setTimeout(r, ms));
  return (cpuTimeMs(qemuPid)! - a) / ms;
}

/**
 * How far the guest's clock is outside the host's, in ms, over plain ssh (not through the agent): 0 when the
 * guest's reading falls between the host's clock before and after the ssh round trip (~1 s under TCG).
 */
async function guestClockErrorMs(): Promise<number> {
  const t0 = Date.now();
  const { stdout } = await run('ssh', [...sshArgs(b, sshPort), 'date +%s.%N'], { env: b.env, timeout: 30_000 });
  const t1 = Date.now();
  const guest = Number(stdout.trim()) * 1000;
  return guest < t0 ? guest - t0 : guest > t1 ? guest - t1 : 0;
}

function httpGet(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write('GET / HTTP/1.0\r\nHost: x\r\n\r\n'));
    let got = '';
    s.setEncoding('utf8');
    s.on('data', (d: string) => (got += d));
    s.on('end', () => resolve(got));
    s.on('error', reject);
    s.setTimeout(30_000, () => s.destroy(new Error('no answer from the forwarded port within 30 s')));
  });
}

describe('Resource Saver', () => {
  it('pauses the idle VM: QEMU stops using CPU and the status says so', async () => {
    const running = await qemuCpuShare(3000);
    const before = await waitPaused();
    expect(before.saver).toMatchObject({ state: 'paused', idleMinutes: IDLE_MS / 60_000 });
    const paused = await qemuCpuShare(3000);
    console.log(`QEMU CPU: ${(running * 100).toFixed(1)}% of a core running idle, ${(paused * 100).toFixed(1)}% paused`);
    expect(paused).toBeLessThan(0.05);
    const st = await b.berth('status');
    expect(st.stdout).toMatch(/vm {6}paused \(Resource Saver/);
    const summary = await c.call('status.get', {});
    expect(summary.vm).toMatchObject({ state: 'running', paused: true });
  });

  it('a docker CLI call on the host socket wakes it and gets its answer', async () => {
    const s0 = await waitPaused();
    const t0 = performance.now();
    const out = await b.docker('ps', '--format', '{{.Names}}');
    const ms = performance.now() - t0;
    expect(out).toBe('');
    const s1 = await status();
    expect(wakes(s1)).toBe(wakes(s0) + 1);
    console.log(`docker ps on a paused VM answered in ${ms.toFixed(0)} ms (QMP cont ${s1.saver?.lastWakeMs} ms)`);
    expect(ms).toBeLessThan(3000);
  });

  it('an agent call that reaches the engine (as the UI makes) wakes it and gets its answer', async () => {
    const s0 = await waitPaused();
    const usage = await c.call('disk.usage', {});
    expect(usage.categories?.map((x) => x.category)).toContain('images');
    expect(wakes(await status())).toBe(wakes(s0) + 1);
  });

  it('a connection to a forwarded port wakes a paused VM and gets the answer; the clock is right after', async () => {
    // A free port, not a fixed or random one: other VM test files run beside this one.
    const port = await freePort();
    await b.docker('run', '-d', '--name', 'web', '-p', `${port}:80`, TEST_IMAGE, 'busybox', 'httpd', '-f', '-p', '80', '-h', '/www');
    const via = async () => (await c.call('ports.list', {})).find((f) => f.hostPort === port && f.state === 'forwarded')?.via;
    await waitFor(via, (v) => v === 'hypervisor', 30_000, 'the forward through the VM network');
    // A container runs, so only a manual pause (`berth saver pause`) stops it.
    const paused = await b.berth('saver', 'pause');
    expect(paused.stdout).toContain('VM paused since');
    const s0 = await status();
    expect(s0.saver?.state).toBe('paused');
    // A paused VM's network would hold the connection unanswered: the port is served over SSH meanwhile.
    await waitFor(via, (v) => v === 'ssh', 10_000, 'the forward to move to SSH');
    // Long enough that a guest clock left standing would be visibly behind.
    await new Promise((r) => setTimeout(r, 8000));
    expect(await httpGet(port)).toContain('hello from berth');
    expect(wakes(await status())).toBe(wakes(s0) + 1);
    await waitFor(via, (v) => v === 'hypervisor', 10_000, 'the forward back on the VM network');
    await waitFor(via, (v) => v === 'hypervisor', 10_000, 'the forward back on the VM network');
    const offset = await waitFor(guestClockErrorMs, (ms) => Math.abs(ms) < 2000, 20_000, 'the guest clock to be set');
    console.log(`guest clock after an 8 s pause and a wake: ${offset.toFixed(0)} ms outside the host's (0: within the ssh round trip)`);
    // The running container keeps it awake past the idle period.
    await new Promise((r) => setTimeout(r, IDLE_MS + 2000));
    expect((await status()).saver?.state).toBe('running');
  });

  it("after QEMU was stopped by SIGSTOP for 20 s, the guest's clock is set right at once", async () => {
    process.kill(qemuPid, 'SIGSTOP');
    await new Promise((r) => setTimeout(r, 20_000));
    process.kill(qemuPid, 'SIGCONT');
    const t0 = Date.now();
    const offset = await waitFor(guestClockErrorMs, (ms) => Math.abs(ms) < 2000, 60_000, 'the guest clock to be set');
    console.log(`guest clock ${((Date.now() - t0) / 1000).toFixed(1)} s after SIGCONT: ${offset.toFixed(0)} ms outside the host's (0: within the ssh round trip)`);
    // And the engine answers again through the same socket.
    expect(await b.docker('ps', '--format', '{{.Names}}')).toBe('web');
  });
});
