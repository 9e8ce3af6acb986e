import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BerthError } from '../base/errors';
import { VmLock } from './lock';
import { HypervisorPidfile, endOrphan } from './pidfile';
import { commandLineOf, isAlive } from './process-info';

let dir: string;
const children: ChildProcess[] = [];

function longRunning(...extraArgs: string[]): ChildProcess {
  // A real process whose command line names the disk, as QEMU's would.
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '--', ...extraArgs], { stdio: 'ignore', detached: true });
  children.push(c);
  return c;
}

async function waitCmdline(pid: number): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const c = commandLineOf(pid);
    if (c && c.includes('setInterval')) return c;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('child never started');
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-lock-'));
});
afterEach(() => {
  for (const c of children.splice(0)) if (c.pid && isAlive(c.pid)) process.kill(c.pid, 'SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('VmLock', () => {
  it('is exclusive within one process and released cleanly', async () => {
    const disk = path.join(dir, 'data.qcow2');
    const a = new VmLock(dir, disk);
    await a.acquire();
    const err = await new VmLock(dir, disk).acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthError);
    expect((err as BerthError).code).toBe('conflict');
    await a.release();
    expect(fs.existsSync(path.join(dir, 'lock'))).toBe(false);
    const b = new VmLock(dir, disk);
    await b.acquire();
    expect(b.isHeld).toBe(true);
    await b.release();
  });

  it('refuses while another live agent holds it, naming its pid', async () => {
    const other = longRunning();
    const cmdline = await waitCmdline(other.pid!);
    fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ pid: other.pid, cmdline, dataDisk: 'd', at: '' }));
    const err = (await new VmLock(dir, 'd').acquire().catch((e: unknown) => e)) as BerthError;
    expect(err.code).toBe('conflict');
    expect(err.message).toContain(`pid ${other.pid}`);
    expect(err.hint).toContain('berth stop');
  });

  it('takes over a stale lock: dead holder, or a recycled pid running something else', async () => {
    const dead = longRunning();
    await waitCmdline(dead.pid!);
    process.kill(dead.pid!, 'SIGKILL');
    await new Promise((r) => dead.once('exit', r));
    fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ pid: dead.pid, cmdline: 'node agent', dataDisk: 'd', at: '' }));
    const l = new VmLock(dir, 'd');
    await l.acquire();
    expect((await l.read())?.pid).toBe(process.pid);
    await l.release();

    const unrelated = longRunning();
    await waitCmdline(unrelated.pid!);
    fs.writeFileSync(path.join(dir, 'lock'), JSON.stringify({ pid: unrelated.pid, cmdline: 'berth agent', dataDisk: 'd', at: '' }));
    const l2 = new VmLock(dir, 'd');
    await l2.acquire();
    expect((await l2.read())?.pid).toBe(process.pid);
    await l2.release();
  });
});

describe('orphaned hypervisor detection', () => {
  it('finds a live process on our data disk and ends it; ignores a recycled pid', async () => {
    const disk = path.join(dir, 'data.qcow2');
    const pidfile = new HypervisorPidfile(dir);

    const orphan = longRunning('-drive', `file=${disk}`);
    await waitCmdline(orphan.pid!);
    await pidfile.write({ pid: orphan.pid!, dataDisk: disk, startedAt: '' });
    const found = await pidfile.findOrphan();
    expect(found?.pid).toBe(orphan.pid);
    let poweredDown = false;
    const how = await endOrphan(
      found!,
      async () => {
        // The orphan speaks no QMP: a failed power button must still end in a kill.
        poweredDown = true;
        throw new Error('no QMP');
      },
      200,
    );
    expect(poweredDown).toBe(true);
    expect(how).toBe('killed');
    expect(commandLineOf(orphan.pid!)).toBeNull();

    const innocent = longRunning('-drive', 'file=/somewhere/else.qcow2');
    await waitCmdline(innocent.pid!);
    await pidfile.write({ pid: innocent.pid!, dataDisk: disk, startedAt: '' });
    expect(await pidfile.findOrphan()).toBeNull();
    expect(isAlive(innocent.pid!)).toBe(true);
    expect(await pidfile.read()).toBeNull();
  });
});
