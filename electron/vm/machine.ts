import { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BerthPaths } from '../base/paths';
import { BerthError } from '../base/errors';
import type { Settings } from '../contract/settings';
import { ConsoleLog, readConsoleTail } from './console-log';
import type { ConsoleEvent, GuestProvider } from './guest';
import {
  AccelMemory,
  accelPlanFor,
  nodeArchToGuest,
  type Accel,
  type GuestArch,
  type HostInfo,
  type Share,
} from './hypervisor';
import { VmLock } from './lock';
import { AdoptedProcess, exitOf, powerOff, type VmProcess } from './vm-process';
import { describeExit } from './exit-reason';
import { AutoRestart } from './auto-restart';
import { prepareBootInputs, qemuBootCommand, requireBootTools } from './boot-inputs';
import type { BootOutcome } from './boot-outcome';
import { bootWithFallback } from './boot-plan';
import { freeLoopbackPort } from './net-util';
import { findAdoptable, endLeftover } from './orphan';
import { HypervisorPidfile, terminateOnAgentExit } from './pidfile';
import { QemuHostForwards } from './host-forwards';
import { Qmp } from './qmp';
import { launchQemu } from './qemu-process';
import { startingStatus, type VmStatus } from './state';
import { VirtiofsServers } from './virtiofsd';

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

export interface VmEvents {
  status: [VmStatus];
  /** Something the agent log should say (a share that fell back to 9p, and why). */
  notice: [string];
  console: [string];
  guest: [ConsoleEvent];
}

/**
 * One VM: QEMU in its own session, its serial console, QMP, the lock on its data disk. Publishes
 * stopped -> starting -> running -> stopping -> stopped, or error with the reason and the console's last lines.
 */
export class VirtualMachine extends EventEmitter<VmEvents> {
  private statusValue: VmStatus = { state: 'stopped' };
  private proc: VmProcess | null = null;
  private qmp: Qmp | null = null;
  private running: RunningInfo | null = null;
  private starting: Promise<RunningInfo> | null = null;
  private stopping: Promise<void> | null = null;
  private cancelBoot = false;
  private expectingExit = false;
  /** The virtiofsds of the current QEMU (none when every share is on 9p). */
  private virtiofs = VirtiofsServers.none();
  private readonly autoRestart = new AutoRestart(() => void this.start().catch(() => undefined));
  private readonly consoleLog: ConsoleLog;
  private readonly lock: VmLock;
  private readonly pidfile: HypervisorPidfile;
  private readonly accelMemory: AccelMemory;
  private readonly host: HostInfo;
  private readonly arch: GuestArch;
  readonly dataDisk: string;
  readonly qmpSocket: string;
  /** Published ports through QEMU's user network, over this VM's QMP connection. */
  readonly hostForwards = new QemuHostForwards(
    () => (this.statusValue.state === 'running' ? this.qmp : null),
    () => this.running?.sshPort ?? null,
  );
  private readonly onProcessExit = () => terminateOnAgentExit(this.proc?.pid);

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
    const next = startingStatus(this.statusValue, this.o.guest.bootStages, stage, detail, accel);
    if (next) this.setStatus(next);
  }

  /** To the console log (the boot's story) and the agent log. */
  private notice(line: string): void {
    this.consoleLog.mark(line);
    this.emit('notice', line);
  }

  private onConsoleLine(line: string): void {
    this.emit('console', line);
    const ev = this.o.guest.parseConsoleLine(line);
    if (!ev) return;
    this.emit('guest', ev);
    if (ev.kind === 'stage' && this.statusValue.state === 'starting') this.progress(ev.stage);
  }

  start(): Promise<RunningInfo> {
    this.autoRestart.cancel();
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
      const adopted = await this.adoptOrphan();
      if (adopted) return adopted;
      await requireBootTools(this.o.guest, this.arch, settings);
      await this.lock.acquire();
      await endLeftover(this.pidfile, this.qmpSocket, (line) => {
        this.progress('prepare', line);
        this.consoleLog.mark(line);
      });
      const inputs = await prepareBootInputs({
        guest: this.o.guest,
        arch: this.arch,
        settings,
        vmDir: this.o.paths.vm,
        dataDisk: this.dataDisk,
        authorizedKey: this.o.authorizedKey,
        progress: (stage, detail) => this.progress(stage, detail),
        mark: (line) => this.consoleLog.mark(line),
      });
      let bootShares: Share[] = inputs.shares;
      const { accelCandidates: candidates, kvmDevice } = this.o;
      const { plan, memo, hostKey } = await accelPlanFor(this.accelMemory, { host: this.host, arch: this.arch, forced: settings.accel, candidates, kvmDevice });
      const won = await bootWithFallback({
        plan,
        probeMs: this.o.probeDeadlineMs ?? 20_000,
        note: memo?.reason,
        cancelled: () => this.cancelBoot,
        mark: (line) => this.consoleLog.mark(line),
        fellBack: (next, reason) => this.accelMemory.write({ accel: next, reason, hostKey, at: new Date().toISOString() }),
        attempt: async (accel, probeMs) => {
          const sshPort = await freeLoopbackPort();
          await this.virtiofs.stop();
          const served = await VirtiofsServers.start(inputs.shares, { dir: this.o.paths.vm, mark: (line) => this.notice(line) });
          this.virtiofs = served.servers;
          bootShares = served.shares;
          this.progress('hypervisor', `starting QEMU (${accel})`, accel);
          const attempt = { arch: this.arch, accel, sshPort, shares: bootShares, dataDisk: this.dataDisk, qmpSocket: this.qmpSocket };
          const { args, command } = qemuBootCommand(this.o.guest, inputs, attempt);
          return { sshPort, outcome: await this.boot(command, args, { sshPort, accel, shares: bootShares }, probeMs) };
        },
      });
      const { accel, sshPort, note } = won;
      const bootMs = Date.now() - t0;
      this.running = { accel, sshPort, pid: this.proc!.pid!, bootMs, shares: bootShares };
      await this.accelMemory.write({ accel, reason: note, hostKey, at: new Date().toISOString() });
      this.qmp = await Qmp.connect(this.qmpSocket).catch(() => null);
      this.autoRestart.booted();
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
    } catch (err) {
      await this.killProc();
      await this.virtiofs.stop();
      await this.lock.release().catch(() => undefined);
      const e = err instanceof BerthError ? err : new BerthError('vm', (err as Error).message, 'See `berth logs` for the console.');
      if (e.code === 'cancelled' || e.code === 'conflict') this.setStatus({ state: 'stopped' });
      else this.setStatus({ state: 'error', reason: e.message, hint: e.hint ?? '', lastConsoleLines: this.consoleLog.lastLines(30) });
      throw e;
    }
  }

  /** One boot attempt: QEMU spawned and watched until the guest's sshd answers, it exits, or a deadline passes. */
  private async boot(
    command: string,
    args: string[],
    { sshPort, accel, shares }: { sshPort: number; accel: Accel; shares: Share[] },
    probeMs: number | null,
  ): Promise<BootOutcome> {
    this.consoleLog.mark(`boot (${accel}): ${command} ${args.join(' ')}`);
    this.expectingExit = false;
    const launched = launchQemu({
      command,
      args,
      sshPort,
      console: this.consoleLog,
      probeMs,
      bootTimeoutMs: this.o.bootTimeoutMs ?? 300_000,
      onGuestStage: (listener) => {
        const onGuest = (ev: ConsoleEvent) => ev.kind === 'stage' && listener();
        this.on('guest', onGuest);
        return () => this.off('guest', onGuest);
      },
      cancelled: () => this.cancelBoot,
      onBanner: (banner) => this.progress('ssh', banner),
    });
    const proc = launched.proc;
    if (proc) {
      this.proc = proc;
      if (proc.pid) {
        void this.pidfile.write({
          pid: proc.pid,
          dataDisk: this.dataDisk,
          qmpSocket: this.qmpSocket,
          startedAt: new Date().toISOString(),
          sshPort,
          accel,
          shares,
        });
        process.once('exit', this.onProcessExit);
      }
      proc.once('exit', (code, signal) => this.onExit(proc, code, signal, launched.stderr()));
    }
    const outcome = await launched.outcome;
    if (outcome.kind !== 'ready') await this.killProc();
    return outcome;
  }

  private onExit(proc: VmProcess, code: number | null, signal: NodeJS.Signals | null, stderr: string): void {
    if (this.proc !== proc) return;
    this.proc = null;
    process.off('exit', this.onProcessExit);
    this.qmp?.close();
    this.qmp = null;
    const wasRunning = this.running !== null;
    this.running = null;
    const ended = describeExit(proc instanceof AdoptedProcess, code, signal, stderr, this.consoleLog.lastLines(30));
    this.consoleLog.mark(ended.logLine);
    this.consoleLog.close();
    // They exit on their own when QEMU disconnects; this covers one that QEMU never reached.
    void this.virtiofs.stop();
    void this.pidfile.clear();
    if (this.expectingExit || !wasRunning) return;
    void this.lock.release();
    this.setStatus({ state: 'error', ...ended.unexpected, lastConsoleLines: this.consoleLog.lastLines(30) });
    void this.maybeAutoRestart();
  }

  private async maybeAutoRestart(): Promise<void> {
    const settings = await this.o.settings().catch(() => null);
    if (!settings?.autoRestart || this.statusValue.state !== 'error') return;
    this.setStatus({ ...this.statusValue, restartInMs: this.autoRestart.schedule() });
  }

  /**
   * Power button first so dockerd stops containers and the guest unmounts its disks; SIGKILL only after the
   * budget (the caller adds dockerd's 10 s per running container).
   */
  stop(opts: { timeoutMs?: number } = {}): Promise<void> {
    this.autoRestart.cancel();
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
    const powerButton = async () => void (await (this.qmp ?? (await Qmp.connect(this.qmpSocket, 2000))).execute('system_powerdown'));
    if (!(await powerOff(proc, powerButton, timeoutMs))) this.consoleLog.mark(`no power-off after ${timeoutMs} ms: QEMU killed`);
    await this.virtiofs.stop();
    await this.lock.release();
    await this.pidfile.clear();
    this.setStatus({ state: 'stopped' });
  }

  private async killProc(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    this.expectingExit = true;
    proc.kill('SIGKILL');
    await exitOf(proc);
  }

  /**
   * A VM left running by an agent that died (kill -9, a crash) whose guest still answers: taken over as it is —
   * the tunnel, the docker socket and the forwards reconnect, and its containers keep running.
   */
  private async adoptOrphan(): Promise<RunningInfo | null> {
    const orphan = await findAdoptable(this.pidfile);
    if (!orphan) return null;
    await this.lock.acquire();
    const proc = new AdoptedProcess(orphan.pid);
    this.proc = proc;
    this.expectingExit = false;
    proc.once('exit', (code, signal) => this.onExit(proc, code, signal, ''));
    this.running = { accel: orphan.accel, sshPort: orphan.sshPort, pid: orphan.pid, bootMs: 0, shares: orphan.shares ?? [] };
    this.qmp = await Qmp.connect(orphan.qmpSocket ?? this.qmpSocket).catch(() => null);
    this.consoleLog.open();
    this.consoleLog.mark(`adopted QEMU pid ${orphan.pid}, left running by a previous agent (its console output is no longer seen)`);
    const { accel, sshPort, pid, startedAt } = orphan;
    this.setStatus({ state: 'running', accel, sshPort, pid, startedAt, bootMs: 0, accelNote: `adopted from a previous agent (running since ${startedAt})` });
    return this.running;
  }

  /** One QMP command on the running VM (Resource Saver's `stop` and `cont`). */
  async qmpExecute(command: string): Promise<unknown> {
    if (!this.qmp) throw new BerthError('vm', 'The VM has no QMP connection', 'Restart it with `berth restart`.');
    return this.qmp.execute(command);
  }

  /** For agent shutdown: stop the VM within a budget. */
  async dispose(timeoutMs = 30_000): Promise<void> {
    await this.stop({ timeoutMs });
    this.autoRestart.dispose();
  }
}

