/**
 * The CLI end to end, as a user or a CI job runs it: `berth start` starts the agent and boots; the docker CLI
 * uses the `berth` context; an agent killed with -9 leaves its QEMU behind, which the next `berth start` finds
 * and powers down before booting; with autoRestart a QEMU crash recovers with no command at all; `berth stop`
 * leaves nothing running.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { importBusyboxImage } from '../testing/busybox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { berthPaths } from '../base/paths';
import { SettingsStore } from '../settings/store';
import { commandLineOf, isAlive, waitForExit } from '../vm/process-info';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url));
const DOCKER = fs.existsSync('/usr/local/bin/docker') ? '/usr/local/bin/docker' : 'docker';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-cli-'));
const paths = berthPaths(home);
const env = { ...process.env, BERTH_HOME: home, DOCKER_CONFIG: path.join(home, 'docker-config'), NO_COLOR: '1' };
const dataDisk = path.join(paths.vm, 'data.qcow2');
const IMAGE = 'berth-test/keeper:1';

async function berth(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, maxBuffer: 8 << 20 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

function usersOfDisk(): number[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => commandLineOf(pid)?.includes(dataDisk) && commandLineOf(pid)?.includes('qemu-system'));
}

const readJson = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8'));

beforeAll(async () => {
  // tcg: kvm fails at once here anyway; dockerContext to exercise the context (in a scratch DOCKER_CONFIG).
  await new SettingsStore(paths.settings).update({ cpus: 2, memoryMiB: 2048, accel: 'tcg', autoRestart: false, dockerContext: true });
});

afterAll(async () => {
  await berth('stop');
  for (const pid of usersOfDisk()) process.kill(pid, 'SIGKILL');
  fs.mkdirSync('reports', { recursive: true });
  if (fs.existsSync(path.join(paths.vm, 'console.log'))) fs.copyFileSync(path.join(paths.vm, 'console.log'), 'reports/cli-vm-console.log');
  fs.rmSync(home, { recursive: true, force: true });
});

describe('berth CLI with a real VM', () => {
  it('berth start boots and returns once the engine answers; status, logs and the docker context work', async () => {
    const start = await berth('start');
    expect(start.code, start.out).toBe(0);
    expect(start.out).toMatch(/\[\s*\d+%\] kernel/);
    expect(start.out).toMatch(/Engine ready: Docker \S+ \(API [\d.]+\), VM on tcg/);
    const status = await berth('status');
    expect(status.out).toMatch(/^vm\s+running \(tcg, pid \d+/m);
    expect(status.out).toMatch(/^engine\s+ready/m);
    const { stdout } = await run(DOCKER, ['--context', 'berth', 'version', '--format', '{{.Server.Version}}'], { env });
    expect(stdout.trim()).toMatch(/^\d+\.\d+/);
    expect((await berth('logs', '-n', '100')).out).toMatch(/berth-stage: engine-ready/);
  });

  it('an agent killed with -9 leaves QEMU running; the next berth start adopts it and the containers keep running', async () => {
    const contextEnv = { ...env, DOCKER_CONTEXT: 'berth' };
    await importBusyboxImage({ tag: IMAGE, applets: ['sleep'], env: contextEnv });
    await run(DOCKER, ['--context', 'berth', 'run', '-d', '--name', 'keeper', IMAGE, 'sleep', '3600'], { env });
    const startedAt = async () => (await run(DOCKER, ['--context', 'berth', 'inspect', '-f', '{{.State.StartedAt}}', 'keeper'], { env })).stdout.trim();
    const before = await startedAt();
    const agentPid = readJson(paths.agentInfo).pid as number;
    const qemuPid = readJson(path.join(paths.vm, 'hypervisor.pid.json')).pid as number;
    process.kill(agentPid, 'SIGKILL');
    expect(await waitForExit(agentPid, 5000)).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    expect(isAlive(qemuPid)).toBe(true);
    const orphaned = await berth('status');
    expect(orphaned.out).toMatch(new RegExp(`^vm\\s+still running without an agent \\(QEMU pid ${qemuPid}`, 'm'));

    const start = await berth('start');
    expect(start.code, start.out).toBe(0);
    // The same QEMU, the same container, never restarted.
    expect(usersOfDisk()).toEqual([qemuPid]);
    expect(await startedAt()).toBe(before);
    const status = await berth('status');
    expect(status.out).toMatch(new RegExp(`^vm\\s+running \\(tcg, pid ${qemuPid}`, 'm'));
    expect(status.out).toMatch(/^engine\s+ready/m);
    expect((await berth('logs', '-n', '400')).out).toMatch(new RegExp(`adopted QEMU pid ${qemuPid}`));
    await run(DOCKER, ['--context', 'berth', 'rm', '-f', 'keeper'], { env });
  });

  it('with autoRestart, a crashed QEMU comes back by itself and the engine answers again', async () => {
    expect((await berth('settings', 'set', 'autoRestart=true')).code).toBe(0);
    // `berth logs -f` follows the console live, across the restart.
    const follow = spawn(process.execPath, [BIN, 'logs', '-n', '1', '-f'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let followed = '';
    follow.stdout.on('data', (d: Buffer) => (followed += d.toString()));
    await new Promise((r) => setTimeout(r, 2000));
    const [qemuPid] = usersOfDisk();
    process.kill(qemuPid, 'SIGKILL');
    const deadline = Date.now() + 240_000;
    let last: string;
    for (;;) {
      const s = await berth('status', '--json');
      last = s.out;
      const d = JSON.parse(s.out || '{}');
      if (d.vm?.state === 'running' && d.vm.pid !== qemuPid && d.engine?.ready) break;
      if (Date.now() > deadline) throw new Error(`no automatic restart: ${last}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect((await berth('logs', '-n', '400')).out).toMatch(/QEMU exited \(SIGKILL\)/);
    follow.kill('SIGINT');
    expect(followed).toMatch(/berth-stage: kernel[\s\S]*berth-stage: engine-ready/);
  }, 300_000);

  it('berth stop powers the VM down and ends the agent: nothing left running', async () => {
    const agentPid = readJson(paths.agentInfo).pid as number;
    const stop = await berth('stop');
    expect(stop.code, stop.out).toBe(0);
    expect(stop.out).toMatch(/VM stopped in [\d.]+ s/);
    expect(stop.out).toMatch(/Berth stopped/);
    expect(await waitForExit(agentPid, 10_000)).toBe(true);
    expect(usersOfDisk()).toEqual([]);
    expect(fs.existsSync(paths.agentSocket)).toBe(false);
    expect((await berth('status')).out).toMatch(/not running/);
  });

  it('Ctrl-C in the agent\'s terminal reaches the agent only: it powers the VM down cleanly, nothing left', async () => {
    const start = await berth('start');
    expect(start.code, start.out).toBe(0);
    const agentPid = readJson(paths.agentInfo).pid as number;
    const [qemuPid] = usersOfDisk();
    // What a terminal does on Ctrl-C: SIGINT to the foreground process group (the agent's own; QEMU has its own session).
    process.kill(-agentPid, 'SIGINT');
    expect(await waitForExit(agentPid, 60_000)).toBe(true);
    expect(isAlive(qemuPid)).toBe(false);
    const log = fs.readFileSync(path.join(paths.vm, 'console.log'), 'utf8');
    const lastBoot = log.slice(log.lastIndexOf('boot (tcg)'));
    expect(lastBoot).toMatch(/berth-stage: stopping/);
    expect(lastBoot).toMatch(/QEMU exited \(code 0\)/);
    expect(usersOfDisk()).toEqual([]);
  }, 300_000);
});
