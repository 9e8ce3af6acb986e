import fs from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../base/errors';
import { commandLineOf } from './process-info';

export interface LockInfo {
  pid: number;
  /** The holder's command line, so a recycled pid owned by an unrelated process is not mistaken for a holder. */
  cmdline: string;
  dataDisk: string;
  at: string;
}

function selfCmdline(): string {
  return commandLineOf(process.pid) ?? process.argv.join(' ');
}

/**
 * One VM per data disk: two QEMUs writing one qcow2 corrupt it. The lock file is created with link(2), which
 * fails if the name exists, so two agents racing for a fresh lock cannot both win; a stale lock is moved aside
 * by rename and checked after the move, so a racer cannot remove a lock that was just taken.
 */
export class VmLock {
  readonly file: string;
  private held = false;

  constructor(
    vmDir: string,
    private readonly dataDisk: string,
  ) {
    this.file = path.join(vmDir, 'lock');
  }

  async read(): Promise<LockInfo | null> {
    try {
      return JSON.parse(await fs.readFile(this.file, 'utf8')) as LockInfo;
    } catch {
      return null;
    }
  }

  /** Live means the recorded process still runs the same program. */
  static isLive(info: LockInfo): boolean {
    const cmd = commandLineOf(info.pid);
    return cmd !== null && cmd === info.cmdline;
  }

  async acquire(): Promise<void> {
    if (this.held) return;
    await fs.mkdir(path.dirname(this.file), { recursive: true });
    const info: LockInfo = { pid: process.pid, cmdline: selfCmdline(), dataDisk: this.dataDisk, at: new Date().toISOString() };
    const tmp = `${this.file}.${process.pid}.tmp`;
    await fs.writeFile(tmp, JSON.stringify(info) + '\n', { mode: 0o600 });
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          await fs.link(tmp, this.file);
          this.held = true;
          return;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        }
        const current = await this.read();
        if (current && VmLock.isLive(current)) {
          throw new BerthError(
            'conflict',
            `Another Berth agent (pid ${current.pid}) is running the VM on ${current.dataDisk}`,
            current.pid === process.pid
              ? 'This agent already runs the VM: use `berth status`.'
              : `Use that agent (\`berth status\`), or stop it with \`berth stop\`; if pid ${current.pid} is not Berth, delete ${this.file}.`,
          );
        }
        await this.breakStale(current);
      }
      throw new BerthError('conflict', `Could not take ${this.file}: another agent keeps taking it`, 'Retry `berth start`.');
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  private async breakStale(seen: LockInfo | null): Promise<void> {
    const aside = `${this.file}.stale.${process.pid}`;
    try {
      await fs.rename(this.file, aside);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    const moved = JSON.parse(await fs.readFile(aside, 'utf8').catch(() => 'null')) as LockInfo | null;
    if (moved && seen && moved.pid !== seen.pid && VmLock.isLive(moved)) {
      // We moved a lock someone took after our check: put it back and let the loop see it as live.
      await fs.link(aside, this.file).catch(() => undefined);
    }
    await fs.rm(aside, { force: true });
  }

  async release(): Promise<void> {
    if (!this.held) return;
    this.held = false;
    const current = await this.read();
    if (current?.pid === process.pid) await fs.rm(this.file, { force: true });
  }

  get isHeld(): boolean {
    return this.held;
  }
}
