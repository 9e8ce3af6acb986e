/**
 * One real Berth for a VM suite: a temp BERTH_HOME, the agent and VM started the way a user does
 * (`berth start`), the host docker CLI pointed at the agent's socket, and a busybox image made FROM scratch
 * (Docker Hub is out of reach). Always call stop() in afterAll: it powers the VM down and ends the agent.
 */
import { execFile, spawn } from 'node:child_process';
import { importBusyboxImage } from './busybox';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { berthPaths, type BerthPaths } from '../base/paths';
import { connectAgent, type AgentClient } from '../agent/client';
import { residentBytes } from '../vm/process-info';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'electron/cli/bin.mjs');
export const TEST_IMAGE = 'berth-test/busybox:1';

/** `docker run -d` arguments for a container that holds 1 GiB of guest memory (a tmpfs file) until removed. */
export const HOLD_1GIB_RUN_ARGS = ['--tmpfs', '/hold:size=1100m', TEST_IMAGE, 'sh', '-c', 'head -c 1024m /dev/zero >/hold/f; sleep 600'];

/** QEMU's resident set now; throws when it cannot be read (the measurement would be meaningless). */
export function qemuResidentBytes(pid: number): number {
  const rss = residentBytes(pid);
  if (rss === null) throw new Error(`cannot read the resident set of pid ${pid} (/proc/${pid}/status)`);
  return rss;
}

export interface BerthUnderTest {
  home: string;
  paths: BerthPaths;
  /** A host folder shared with the VM (settings.shares); with `shares: 'default'` it is made but not shared. */
  shareDir: string;
  env: NodeJS.ProcessEnv;
  docker(...args: string[]): Promise<string>;
  berth(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  client(): Promise<AgentClient>;
  stop(): Promise<void>;
}

export async function startBerth(
  opts: {
    log?: (line: string) => void;
    /** 'default' leaves `shares` out of the settings, so the VM shares what a new user gets: the home folder. */
    shares?: 'temp-folder' | 'default';
    /** Shared besides (settings.shares gets the default's home folder plus these). */
    extraShares?: string[];
    /** Added to the environment of the agent (and of every command run against it). */
    env?: NodeJS.ProcessEnv;
  } = {},
): Promise<BerthUnderTest> {
  const log = opts.log ?? (() => undefined);
  // Short: the agent's unix sockets live under it (sun_path is ~108 bytes).
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bp-'));
  const shareDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-share-'));
  const paths = berthPaths(home);
  fs.writeFileSync(
    paths.settings,
    JSON.stringify({
      cpus: Math.min(2, os.availableParallelism()),
      memoryMiB: 2048,
      dockerContext: false,
      autostart: false,
      // Suites that ssh into the guest or measure QEMU must not find it paused mid-run; the Resource Saver
      // suite shortens the idle period through BERTH_RESOURCE_SAVER_IDLE_MS, which overrides this.
      resourceSaverMinutes: 0,
      ...(opts.shares === 'default' ? (opts.extraShares ? { shares: [os.homedir(), ...opts.extraShares] } : {}) : { shares: [shareDir, ...(opts.extraShares ?? [])] }),
    }),
  );
  const env: NodeJS.ProcessEnv = { ...process.env, ...opts.env, BERTH_HOME: home, DOCKER_HOST: `unix://${paths.dockerSocket}`, NO_COLOR: '1' };
  delete env.DOCKER_CONTEXT;

  const berth = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      p.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        for (const l of d.toString().split('\n')) if (l.trim()) log(`[berth ${args[0]}] ${l}`);
      });
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    });
  const docker = async (...args: string[]) => (await run('docker', args, { env, maxBuffer: 64 << 20 })).stdout.trim();

  const stop = async () => {
    await berth('stop');
    fs.rmSync(shareDir, { recursive: true, force: true });
    // Keep the home (console log, agent log) for a post-mortem only when asked.
    if (!process.env.BERTH_KEEP_HOME) fs.rmSync(home, { recursive: true, force: true });
  };

  const started = await berth('start');
  if (started.code !== 0) {
    const consoleLog = path.join(paths.vm, 'console.log');
    const tail = fs.existsSync(consoleLog) ? fs.readFileSync(consoleLog, 'utf8').split('\n').slice(-30).join('\n') : '';
    await stop();
    throw new Error(`berth start failed (${started.code}): ${started.stderr}\n${tail}`);
  }
  return { home, paths, shareDir, env, docker, berth, client: () => connectAgent(paths), stop };
}

/** busybox as `TEST_IMAGE`, with a page for httpd in /www. */
export async function ensureTestImage(b: BerthUnderTest): Promise<void> {
  if (await b.docker('image', 'ls', '-q', TEST_IMAGE)) return;
  // sh for `docker run IMG sh -c ...`; every other applet is called as `busybox APPLET`.
  await importBusyboxImage({ tag: TEST_IMAGE, applets: ['sh'], files: { 'www/index.html': 'hello from berth\n' }, env: b.env });
}

/** Polls an agent call until `pred` holds (tests only: the product itself never polls). */
export async function waitFor<T>(get: () => Promise<T>, pred: (v: T) => boolean, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await get();
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(last)}`);
}

/**
 * Ends every guest sshd session except the one running this command: the agent's tunnel drops exactly as when
 * the guest's sshd restarts. Uses the agent's own client key and the pinned host key.
 */
export async function killAgentSshSessions(b: BerthUnderTest, sshPort: number): Promise<string> {
  const script = [
    'anc=" "; p=$$',
    'while [ "$p" -gt 1 ]; do anc="$anc$p "; read -r _ _ _ p _ < /proc/$p/stat; done',
    'n=0',
    'for d in /proc/[0-9]*; do pid=${d#/proc/}',
    '  case "$anc" in *" $pid "*) continue ;; esac',
    '  cmd=$(tr "\\0" " " < $d/cmdline 2>/dev/null)',
    '  case "$cmd" in "sshd-session: root"*|"sshd: root"*) kill -9 $pid && n=$((n+1)) ;; esac',
    'done',
    'echo killed=$n',
  ].join('\n');
  const { stdout } = await run('ssh', [...sshArgs(b, sshPort), script], { env: b.env });
  return stdout.trim();
}

/** ssh options for the VM with the agent's key and its pinned host key (no prompts, no ~/.ssh writes). */
export function sshArgs(b: BerthUnderTest, sshPort: number): string[] {
  const known = path.join(b.paths.vm, 'test_known_hosts');
  const pinned = fs.readFileSync(path.join(b.paths.vm, 'ssh_host_key.pub'), 'utf8').trim();
  fs.writeFileSync(known, `[127.0.0.1]:${sshPort} ${pinned}\n`);
  return [
    '-i', path.join(b.paths.vm, 'id_ed25519'),
    '-p', String(sshPort),
    '-o', `UserKnownHostsFile=${known}`,
    '-o', 'StrictHostKeyChecking=yes',
    '-o', 'IdentitiesOnly=yes',
    '-o', 'BatchMode=yes',
    '-o', 'LogLevel=ERROR',
    'root@127.0.0.1',
  ];
}
