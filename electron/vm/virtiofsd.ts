import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findVirtiofsd, type VirtiofsdCommand, type VirtiofsdLookup } from '../host/virtiofsd';
import type { Share } from './hypervisor';

/**
 * One virtiofsd per virtiofs share, for one QEMU: started before it (QEMU connects to each socket at launch) and
 * stopped with it. virtiofsd serves exactly one vhost-user connection and exits when QEMU disconnects, so a QEMU
 * that exits or is killed takes its virtiofsds along; every VM-stop path also stops them explicitly.
 */

/**
 * virtiofsd's cache policy. `auto`: the guest caches attributes and directory entries for 1 s and keeps a file's
 * pages only while they match the host's (FUSE drops them on open, and on read once the 1 s attribute timeout
 * has passed and size or mtime changed), writes go straight through. So a host edit is seen by a new open at
 * once and by a process that holds the file open within 1 s, never as zeros; a container's write is on the host
 * at once. `never` would match 9p cache=none exactly, at most of the speed (see electron/shares/README.md).
 */
export const VIRTIOFS_CACHE = 'auto';
/** The bound `auto` states for a host change to reach a guest process that keeps the file open. */
export const VIRTIOFS_ATTR_TIMEOUT_MS = 1000;

const READY_TIMEOUT_MS = 10_000;
const STOP_GRACE_MS = 2000;

export interface VirtiofsOptions {
  /** Where the sockets and each virtiofsd's log go (the VM's folder). */
  dir: string;
  /** The console log and the agent log: why a share fell back to 9p. */
  mark: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Replaces the host lookup (tests). */
  find?: () => VirtiofsdLookup;
}

/** BERTH_SHARES_9P: `*` keeps every share on 9p, else host paths (separated by `:`) that keep it. */
function forced9p(share: Share, env: NodeJS.ProcessEnv): boolean {
  const v = env.BERTH_SHARES_9P?.trim();
  if (!v) return false;
  return v === '*' || v.split(path.delimiter).includes(share.path);
}

function daemonArgs(d: VirtiofsdCommand, share: Share, socket: string, env: NodeJS.ProcessEnv): string[] {
  const uid = process.getuid?.() ?? 0;
  const gid = process.getgid?.() ?? 0;
  return [
    ...d.prefixArgs,
    '--socket-path', socket,
    '--shared-dir', share.path,
    '--cache', env.BERTH_VIRTIOFS_CACHE || VIRTIOFS_CACHE,
    // The namespace sandbox (pivot_root into the share) needs root; a user's virtiofsd runs unsandboxed and can
    // reach only what the user can anyway.
    '--sandbox', uid === 0 ? 'namespace' : 'none',
    // A user's virtiofsd cannot take on the guest's uids: every file the guest makes becomes the user's, the guest's
    // chown changes nothing, as with 9p security_model=none under a user's QEMU. Run as root (CI, dev containers),
    // files keep the container's uid, as 9p does under a root QEMU.
    ...(uid === 0 ? [] : ['--translate-uid', `squash-guest:0:${uid}:4294967295`, '--translate-gid', `squash-guest:0:${gid}:4294967295`]),
    '--log-level', 'warn',
  ];
}

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' / ');
  } catch {
    return '';
  }
}

/** Waits for the socket to appear (ready for QEMU) or the process to end (failed); resolves with the reason if so. */
function ready(proc: ChildProcess, socket: string, log: string): Promise<string | null> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    let exited: string | null = null;
    proc.once('exit', (code, signal) => (exited = `virtiofsd exited (${signal ?? `code ${code}`})`));
    proc.once('error', (err) => (exited = `virtiofsd did not start: ${err.message}`));
    const poll = () => {
      if (exited) return resolve(`${exited}${logTail(log) ? `: ${logTail(log)}` : ''}`);
      if (fs.existsSync(socket)) return resolve(null);
      if (Date.now() - t0 > READY_TIMEOUT_MS) return resolve(`virtiofsd made no socket within ${READY_TIMEOUT_MS / 1000} s`);
      setTimeout(poll, 20);
    };
    poll();
  });
}

export class VirtiofsServers {
  private constructor(private readonly procs: ChildProcess[]) {}

  static none(): VirtiofsServers {
    return new VirtiofsServers([]);
  }

  /**
   * Serves what it can over virtiofs; every other share keeps 9p (QEMU serves those), with the reason marked.
   * Returns the shares with their transport (and socket) for QEMU's arguments and the guest's command line.
   */
  static async start(shares: Share[], o: VirtiofsOptions): Promise<{ servers: VirtiofsServers; shares: Share[] }> {
    const env = o.env ?? process.env;
    const as9p = (s: Share): Share => ({ tag: s.tag, path: s.path, transport: '9p' });
    const wanted = shares.filter((s) => !forced9p(s, env));
    if (wanted.length < shares.length) o.mark(`shared folders on 9p as BERTH_SHARES_9P asks: ${shares.filter((s) => forced9p(s, env)).map((s) => s.path).join(', ')}`);
    if (!wanted.length) return { servers: VirtiofsServers.none(), shares: shares.map(as9p) };
    const lookup = (o.find ?? (() => findVirtiofsd({ env })))();
    if (!lookup.ok) {
      o.mark(`shared folders use 9p: ${lookup.reason} (\`berth doctor --fix\` adds virtiofsd for faster shares)`);
      return { servers: VirtiofsServers.none(), shares: shares.map(as9p) };
    }
    const procs: ChildProcess[] = [];
    const result: Share[] = [];
    for (const share of shares) {
      if (!wanted.includes(share)) {
        result.push(as9p(share));
        continue;
      }
      const socket = path.join(o.dir, `fs-${share.tag}.sock`);
      const log = path.join(o.dir, `virtiofsd-${share.tag}.log`);
      for (const stale of [socket, `${socket}.pid`]) fs.rmSync(stale, { force: true });
      const out = fs.openSync(log, 'w', 0o600);
      // Its own session like QEMU's: a crashed agent leaves both running, and the next agent adopts the VM.
      const proc = spawn(lookup.daemon.command, daemonArgs(lookup.daemon, share, socket, env), { detached: true, stdio: ['ignore', out, out] });
      fs.closeSync(out);
      proc.unref();
      const failure = await ready(proc, socket, log);
      if (failure) {
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
        o.mark(`shared folder ${share.path} uses 9p: ${failure} (log: ${log})`);
        result.push(as9p(share));
        continue;
      }
      procs.push(proc);
      result.push({ tag: share.tag, path: share.path, transport: 'virtiofs', socket });
    }
    const served = result.filter((s) => s.transport === 'virtiofs');
    if (served.length) o.mark(`virtiofsd ${lookup.daemon.version} (${lookup.daemon.path}) serves ${served.map((s) => s.path).join(', ')}`);
    return { servers: new VirtiofsServers(procs), shares: result };
  }

  /** pids of the virtiofsds still running (tests check that none outlives its VM). */
  get pids(): number[] {
    return this.procs.filter((p) => p.exitCode === null && p.signalCode === null && p.pid).map((p) => p.pid!);
  }

  /** SIGTERM, then SIGKILL after a grace period; resolves when all have exited. Safe to call more than once. */
  async stop(): Promise<void> {
    await Promise.all(
      this.procs.map(async (p) => {
        if (p.exitCode !== null || p.signalCode !== null) return;
        const exited = new Promise<void>((r) => p.once('exit', () => r()));
        p.kill('SIGTERM');
        const timer = setTimeout(() => p.kill('SIGKILL'), STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}
