import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import { statSync } from 'node:fs';
import path from 'node:path';
import type { BerthPaths } from '../base/paths';
import { BerthError } from '../base/errors';
import type { Settings } from '../contract/settings';
import { resolveShares } from '../shares/shares';
import { ConsoleLog, readConsoleTail } from './console-log';
import { ensureDataDisk } from './data-disk';
import type { ConsoleEvent, GuestProvider } from './guest';
import {
  AccelMemory,
  accelCandidates,
  buildQemuCommand,
  hostKeyOf,
  kvmUsable,
  nodeArchToGuest,
  planAccels,
  type Accel,
  type GuestArch,
  type HostInfo,
  type Share,
} from './hypervisor';
import { VmLock } from './lock';
import { freeLoopbackPort, readSshBanner } from './net-util';
import { HypervisorPidfile, endOrphan } from './pidfile';
import { isAlive } from './process-info';
import { Qmp, qmpPowerdown } from './qmp';
import { stagePercent, type VmStatus } from './state';

export interface VirtualMachineOptions {
  paths: BerthPaths;
  settings: () => Promise<Settings>;
  guest: GuestProvider;
  /** The engine's SSH public key, authorized in the guest through the kernel command line. */
  authorizedKey: () => Promise<string>;
  host?: HostInfo;
  guestArch?: GuestArch;
  /** A boot that prints no stage line within this is taken as a hung accelerator. */
  probeDeadlineMs?: number;
  bootTimeoutMs?: number;
  kvmDevice?: string;
  /** Replaces the host's accelerator list (tests exercise the probe with accelerators this host has). */
  accelCandidates?: Accel[];
}

export interface RunningInfo {
  accel: Accel;
  sshPort: number;
  pid: number;
  bootMs: number;
  /** The host folders this boot mounted (a settings change applies on the next boot). */
  shares: Share[];
}

type BootOutcome =
  | { kind: 'ready' }
  | { kind: 'no-stage' }
  | { kind: 'exited'; code: number | null; signal: NodeJS.Signals | null; stderr: string }
  | { kind: 'timeout' }
  | { kind: 'cancelled' };

export interface VmEvents {
  status: [VmStatus];
  console: [string];
  guest: [ConsoleEvent];
}

/**
 * One VM: QEMU in its own session, its serial console, QMP, the lock on its data disk. Publishes
 * stopped -> starting -> running -> stopping -> stopped, or error with the reason and the console's last lines.
 */
export class VirtualMachine extends EventEmitter<VmEvents> {
  private statusValue: VmStatus = { state: 'stopped' };
  private proc: ChildProcess | null = null;
  private qmp: Qmp | null = null;
  private running: RunningInfo | null = null;
  private starting: Promise<RunningInfo> | null = null;
  private stopping: Promise<void> | null = null;
  private cancelBoot = false;
  private expectingExit = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private restartFailures = 0;
  private readonly consoleLog: ConsoleLog;
  private readonly lock: VmLock;
  private readonly pidfile: HypervisorPidfile;
  private readonly accelMemory: AccelMemory;
  private readonly host: HostInfo;
  private readonly arch: GuestArch;
  readonly dataDisk: string;
  readonly qmpSocket: string;
  private readonly onProcessExit = () => this.killOnAgentExit();

  constructor(private readonly o: VirtualMachineOptions) {
    super();
    this.setMaxListeners(0);
    const vm = o.paths.vm;
    this.dataDisk = path.join(vm, 'data.qcow2');
    // unix socket paths are limited to ~104 bytes; a deep BERTH_HOME must not break QMP.
    this.qmpSocket = path.join(vm, 'qmp.sock');
    this.consoleLog = new ConsoleLog(path.join(vm, 'console.log'));
    this.lock = new VmLock(vm, this.dataDisk);
    this.pidfile = new HypervisorPidfile(vm);
    this.accelMemory = AccelMemory.in(vm);
    this.host = o.host ?? { platform: process.platform, arch: process.arch };
    this.arch = o.guestArch ?? nodeArchToGuest(this.host.arch) ?? 'amd64';
    this.consoleLog.on('line', (line) => this.onConsoleLine(line));
  }

  status(): VmStatus {
    return this.statusValue;
  }

  /** Where the tunnel connects; null while there is no guest sshd to reach. */
  sshTarget(): { host: string; port: number } | null {
    return this.running ? { host: '127.0.0.1', port: this.running.sshPort } : null;
  }

  get info(): RunningInfo | null {
    return this.running;
  }

  get consoleLogFile(): string {
    return this.consoleLog.file;
  }

  consoleTail(lines = 100): string[] {
    return readConsoleTail(this.consoleLog.file, lines);
  }

  private setStatus(s: VmStatus): void {
    this.statusValue = s;
    this.emit('status', s);
  }

  private progress(stage: string, detail?: string, accel?: Accel): void {
    if (this.statusValue.state !== 'starting' && this.statusValue.state !== 'stopped' && this.statusValue.state !== 'error') return;
    const prev = this.statusValue.state === 'starting' ? this.statusValue : null;
    this.setStatus({
      state: 'starting',
      stage,
      percent: Math.max(prev?.percent ?? 0, stagePercent(stage, this.o.guest.bootStages)),
      detail,
      accel: accel ?? prev?.accel,
    });
  }

  private onConsoleLine(line: string): void {
    this.emit('console', line);
    const ev = this.o.guest.parseConsoleLine(line);
    if (!ev) return;
    this.emit('guest', ev);
    if (ev.kind === 'stage' && this.statusValue.state === 'starting') this.progress(ev.stage);
  }

  start(): Promise<RunningInfo> {
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = null;
    }
    if (this.running) return Promise.resolve(this.running);
    if (this.starting) return this.starting;
    const p = (async () => {
      if (this.stopping) await this.stopping;
      return this.doStart();
    })();
    this.starting = p;
    p.then(
      () => (this.starting = null),
      () => (this.starting = null),
    );
    return p;
  }

  private async doStart(): Promise<RunningInfo> {
    this.cancelBoot = false;
    const t0 = Date.now();
    this.progress('prepare');
    try {
      const settings = await this.o.settings();
      if (settings.hypervisor === 'vfkit') {
        // The vfkit command line exists (hypervisor/vfkit.ts); its launcher (console file, DHCP lease, REST stop) does not yet.
        throw new BerthError('vm', 'The vfkit backend cannot launch VMs yet', 'Use QEMU with hvf: `berth settings set hypervisor=qemu`.');
      }
      await fs.mkdir(this.o.paths.vm, { recursive: true, mode: 0o700 });
      await this.lock.acquire();
      await this.cleanupOrphan();
      this.progress('image', 'checking the guest image');
      const image = await this.o.guest.ensureImage({ arch: this.arch, onProgress: (stage, detail) => this.progress('image', detail ? `${stage}: ${detail}` : stage) });
      this.progress('disk');
      await ensureDataDisk(this.dataDisk, settings.diskGiB);
      const key = await this.o.authorizedKey();
      const { shares, skipped } = resolveShares(settings.shares, (p) => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false);
      for (const s of skipped) this.consoleLog.mark(`shared folder skipped: ${s.reason}`);

      const hostKey = hostKeyOf(this.host, this.arch);
      const memo = await this.accelMemory.read(hostKey);
      const candidates =
        this.o.accelCandidates ?? accelCandidates(this.host, this.arch, this.host.platform === 'linux' && kvmUsable(this.o.kvmDevice));
      const plan = planAccels(candidates, settings.accel, memo);
      let note = memo?.reason;
      for (let i = 0; i < plan.length; i++) {
        const accel = plan[i];
        const canFallBack = i < plan.length - 1;
        let outcome: BootOutcome;
        let portRetries = 0;
        let crashRetries = 0;
        for (;;) {
          const sshPort = await freeLoopbackPort();
          this.progress('hypervisor', `starting QEMU (${accel})`, accel);
          const { args, command } = buildQemuCommand({
            arch: this.arch,
            accel,
            cpus: settings.cpus,
            memoryMiB: settings.memoryMiB,
            kernel: image.kernel,
            initrd: image.initrd,
            cmdline: this.o.guest.kernelCmdline({ arch: this.arch, authorizedKey: key, shares }),
            shares,
            diskArgs: this.o.guest.qemuDiskArgs({ image, dataDisk: this.dataDisk }),
            serial: { kind: 'stdio' },
            qmpSocket: this.qmpSocket,
            sshPort,
          });
          if (this.cancelBoot) {
            outcome = { kind: 'cancelled' };
            break;
          }
          outcome = await this.boot(command, args, sshPort, accel, canFallBack ? (this.o.probeDeadlineMs ?? 20_000) : null);
          // stop() kills QEMU to cancel a boot: that exit is the cancellation, not a failure.
          if (this.cancelBoot) outcome = { kind: 'cancelled' };
          // Another program took the free port between our probe and QEMU's bind: pick another.
          if (outcome.kind === 'exited' && /host forwarding|hostfwd/i.test(outcome.stderr) && portRetries++ < 3) continue;
          // A guest that died during boot on an accelerator known to work (a kernel panic under TCG has been seen
          // once in many boots) gets one more try before the user sees an error.
          if (outcome.kind === 'exited' && !canFallBack && !outcome.signal && crashRetries++ < 1) {
            this.consoleLog.mark(`guest exited during boot (code ${outcome.code}); booting once more`);
            continue;
          }
          if (outcome.kind === 'ready') {
            const bootMs = Date.now() - t0;
            this.running = { accel, sshPort, pid: this.proc!.pid!, bootMs, shares };
            await this.accelMemory.write({ accel, reason: note, hostKey, at: new Date().toISOString() });
            this.qmp = await Qmp.connect(this.qmpSocket).catch(() => null);
            this.restartFailuresResetTimer();
            this.setStatus({
              state: 'running',
              accel,
              sshPort,
              pid: this.running.pid,
              startedAt: new Date().toISOString(),
              bootMs,
              ...(note ? { accelNote: note } : {}),
            });
            return this.running;
          }
          break;
        }
        if (outcome.kind === 'cancelled') throw new BerthError('cancelled', 'The VM start was cancelled', 'Run `berth start` again.');
        const hung = outcome.kind === 'no-stage' || (outcome.kind === 'exited' && accel !== 'tcg');
        if (hung && canFallBack) {
          note =
            outcome.kind === 'no-stage'
              ? `${accel} printed no boot stage within ${Math.round((this.o.probeDeadlineMs ?? 20_000) / 1000)} s; using ${plan[i + 1]}`
              : `${accel} failed (${outcome.kind === 'exited' ? outcome.stderr.trim().split('\n').at(-1) : 'no message'}); using ${plan[i + 1]}`;
          this.consoleLog.mark(note);
          await this.accelMemory.write({ accel: plan[i + 1], reason: note, hostKey, at: new Date().toISOString() });
          continue;
        }
        throw this.bootFailure(outcome, accel);
      }
      throw new BerthError('vm', 'No accelerator could boot the VM', 'See `berth logs`.');
    } catch (err) {
      await this.killProc();
      await this.lock.release().catch(() => undefined);
      const e = err instanceof BerthError ? err : new BerthError('vm', (err as Error).message, 'See `berth logs` for the console.');
      if (e.code === 'cancelled' || e.code === 'conflict') this.setStatus({ state: 'stopped' });
      else this.setStatus({ state: 'error', reason: e.message, hint: e.hint ?? '', lastConsoleLines: this.consoleLog.lastLines(30) });
      throw e;
    }
  }

  private bootFailure(outcome: BootOutcome, accel: Accel): BerthError {
    switch (outcome.kind) {
      case 'exited': {
        const how = outcome.signal ? `was killed by ${outcome.signal}` : `exited with code ${outcome.code}`;
        const stderr = outcome.stderr.trim().split('\n').slice(-3).join(' | ');
        return new BerthError(
          'vm',
          `QEMU (${accel}) ${how} during boot${stderr ? `: ${stderr}` : ''}`,
          /No such file|ENOENT/.test(stderr) ? 'Install QEMU (Debian: apt-get install qemu-system-x86).' : 'See `berth logs` for the guest console.',
        );
      }
      case 'timeout':
        return new BerthError('timeout', `The VM did not finish booting (${accel})`, 'See `berth logs`; slow hosts can raise the boot timeout.');
      default:
        return new BerthError('vm', `The VM did not boot (${accel}): ${outcome.kind}`, 'See `berth logs`.');
    }
  }

  /** Spawn QEMU and wait until sshd answers (ready), it exits, or the probe/boot deadline passes. */
  private boot(command: string, args: string[], sshPort: number, accel: Accel, probeMs: number | null): Promise<BootOutcome> {
    this.consoleLog.open();
    this.consoleLog.mark(`boot (${accel}): ${command} ${args.join(' ')}`);
    this.expectingExit = false;
    let proc: ChildProcess;
    try {
      // Own session: the terminal's Ctrl-C goes to the agent, which then powers the guest down cleanly.
      proc = spawn(command, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      return Promise.resolve({ kind: 'exited', code: null, signal: null, stderr: (err as Error).message });
    }
    this.proc = proc;
    let stderr = '';
    proc.stdout!.on('data', (d: Buffer) => this.consoleLog.write(d));
    proc.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4096);
      this.consoleLog.write(d);
    });
    if (proc.pid) {
      void this.pidfile.write({ pid: proc.pid, dataDisk: this.dataDisk, qmpSocket: this.qmpSocket, startedAt: new Date().toISOString() });
      process.once('exit', this.onProcessExit);
    }
    proc.once('exit', (code, signal) => this.onExit(proc, code, signal, stderr));

    return new Promise<BootOutcome>((resolve) => {
      let settled = false;
      let sawStage = false;
      const timers: NodeJS.Timeout[] = [];
      const finish = (o: BootOutcome) => {
        if (settled) return;
        settled = true;
        timers.forEach(clearTimeout);
        this.off('guest', onGuest);
        resolve(o);
      };
      const onGuest = (ev: ConsoleEvent) => {
        if (ev.kind === 'stage') sawStage = true;
      };
      this.on('guest', onGuest);
      proc.once('error', (err) => finish({ kind: 'exited', code: null, signal: null, stderr: err.message }));
      proc.once('exit', (code, signal) => finish({ kind: 'exited', code, signal, stderr }));
      if (probeMs !== null) timers.push(setTimeout(() => !sawStage && finish({ kind: 'no-stage' }), probeMs));
      timers.push(setTimeout(() => finish({ kind: 'timeout' }), this.o.bootTimeoutMs ?? 300_000));
      const poll = async () => {
        while (!settled) {
          if (this.cancelBoot) return finish({ kind: 'cancelled' });
          if (sawStage) {
            // Generous: on a loaded host sshd can take seconds to send its banner, and a short read would
            // fail every attempt. Nothing listening answers at once (slirp closes the connection).
            const banner = await readSshBanner(sshPort, 8000);
            if (banner) {
              this.progress('ssh', banner);
              return finish({ kind: 'ready' });
            }
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      };
      void poll();
    }).then(async (o) => {
      if (o.kind !== 'ready') await this.killProc();
      return o;
    });
  }

  private onExit(proc: ChildProcess, code: number | null, signal: NodeJS.Signals | null, stderr: string): void {
    if (this.proc !== proc) return;
    this.proc = null;
    process.off('exit', this.onProcessExit);
    this.qmp?.close();
    this.qmp = null;
    const wasRunning = this.running !== null;
    this.running = null;
    this.consoleLog.mark(`QEMU exited (${signal ?? `code ${code}`})`);
    this.consoleLog.close();
    void this.pidfile.clear();
    if (this.expectingExit || !wasRunning) return;
    void this.lock.release();
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const detail = stderr.trim().split('\n').at(-1);
    this.setStatus({
      state: 'error',
      reason: `The VM stopped unexpectedly: QEMU ${how}${detail ? ` (${detail})` : ''}`,
      hint: 'Run `berth start` to boot it again; `berth logs` shows the console up to the failure.',
      lastConsoleLines: this.consoleLog.lastLines(30),
    });
    void this.maybeAutoRestart();
  }

  private restartResetTimer: NodeJS.Timeout | null = null;
  private restartFailuresResetTimer(): void {
    if (this.restartResetTimer) clearTimeout(this.restartResetTimer);
    // A VM that stayed up for two minutes is healthy again: the next crash restarts quickly.
    this.restartResetTimer = setTimeout(() => (this.restartFailures = 0), 120_000);
    this.restartResetTimer.unref();
  }

  private async maybeAutoRestart(): Promise<void> {
    const settings = await this.o.settings().catch(() => null);
    if (!settings?.autoRestart || this.statusValue.state !== 'error') return;
    const delay = Math.min(60_000, 2000 * 2 ** this.restartFailures);
    this.restartFailures++;
    this.setStatus({ ...this.statusValue, restartInMs: delay });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.start().catch(() => undefined);
    }, delay);
  }

  /**
   * Power button first so dockerd stops containers and the guest unmounts its disks; SIGKILL only after the
   * budget (the caller adds dockerd's 10 s per running container).
   */
  stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restartTimer = null;
    }
    if (this.stopping) return this.stopping;
    const p = this.doStop(opts.timeoutMs ?? 30_000).finally(() => (this.stopping = null));
    this.stopping = p;
    return p;
  }

  private async doStop(timeoutMs: number): Promise<void> {
    if (this.starting) {
      this.cancelBoot = true;
      await this.killProc();
      await this.starting.catch(() => undefined);
    }
    const proc = this.proc;
    if (!proc) {
      if (this.statusValue.state !== 'stopped') this.setStatus({ state: 'stopped' });
      await this.lock.release();
      return;
    }
    this.setStatus({ state: 'stopping' });
    this.expectingExit = true;
    const exited = new Promise<void>((r) => (proc.exitCode !== null || proc.signalCode !== null ? r() : proc.once('exit', () => r())));
    try {
      const qmp = this.qmp ?? (await Qmp.connect(this.qmpSocket, 2000));
      await qmp.execute('system_powerdown');
    } catch {
      proc.kill('SIGTERM');
    }
    const graceful = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs))]);
    if (!graceful) {
      this.consoleLog.mark(`no power-off after ${timeoutMs} ms: killing QEMU`);
      proc.kill('SIGKILL');
      await exited;
    }
    await this.lock.release();
    await this.pidfile.clear();
    this.setStatus({ state: 'stopped' });
  }

  private async killProc(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    this.expectingExit = true;
    const exited = new Promise<void>((r) => proc.once('exit', () => r()));
    proc.kill('SIGKILL');
    await exited;
  }

  /** Left running by a crashed agent: power it down (or kill it) before we boot onto the same disk. */
  private async cleanupOrphan(): Promise<void> {
    const orphan = await this.pidfile.findOrphan();
    if (!orphan) return;
    this.progress('prepare', `stopping a VM left running by a previous agent (pid ${orphan.pid})`);
    const how = await endOrphan(orphan, (rec) => qmpPowerdown(rec.qmpSocket ?? this.qmpSocket), 20_000);
    this.consoleLog.mark(`previous agent's QEMU pid ${orphan.pid}: ${how}`);
    await this.pidfile.clear();
  }

  /**
   * The agent is exiting without a stop (crash, or an exit path that skipped shutdown): SIGTERM makes QEMU
   * flush its disk images and quit, far better than leaving a VM nobody controls.
   */
  private killOnAgentExit(): void {
    const pid = this.proc?.pid;
    if (pid && isAlive(pid)) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  }

  /** For agent shutdown: stop the VM within a budget. */
  async dispose(timeoutMs = 30_000): Promise<void> {
    await this.stop({ timeoutMs });
    if (this.restartResetTimer) clearTimeout(this.restartResetTimer);
  }
}

