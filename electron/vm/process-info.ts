import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else, which still means "alive".
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The full command line of a process, or null when it is gone. /proc where there is one, ps elsewhere (macOS). */
export function commandLineOf(pid: number): string | null {
  if (!isAlive(pid)) return null;
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    // A zombie has an empty cmdline: for our purposes it is gone.
    return raw.length ? raw.split('\0').filter(Boolean).join(' ') : null;
  } catch {
    // fall through to ps
  }
  try {
    const out = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return out || null;
  } catch {
    return null;
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (commandLineOf(pid) === null) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return commandLineOf(pid) === null;
}

/**
 * True when the process is stopped (SIGSTOP, a debugger): it exists but runs nothing. Linux only (/proc); false
 * where that cannot be told.
 */
export function isStopped(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state follows the command name in parentheses, which may itself hold spaces or parentheses.
    return /^[Tt]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** A process's resident set in bytes, as the host's memory accounting sees it (Linux /proc; null elsewhere). */
export function residentBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** CPU time (user + system) a process has used, in ms, from /proc/PID/stat; null when it cannot be read. */
export function cpuTimeMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15, in clock ticks (USER_HZ, 100 on Linux).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
