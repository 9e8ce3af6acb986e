/**
 * Which host folders the VM sees, and why a bind mount would not work. No Node file-system access here except
 * through the injected `isDirectory`, so the renderer and unit tests use the same rules as the agent.
 */
import path from 'node:path';

export interface Share {
  /** 9p/virtiofs mount tag (letters, digits, `._-`, at most 31 bytes). */
  tag: string;
  /** Absolute host path, mounted at the same path in the guest. */
  path: string;
}

export interface SkippedShare {
  path: string;
  reason: string;
}

export interface ResolvedShares {
  shares: Share[];
  skipped: SkippedShare[];
}

/**
 * Guest directories a share must never cover: mounting a host folder over them would hide what the guest needs
 * to run (its binaries and config, sshd's authorized key in /etc/berth, dockerd's state, the tmpfs mounts made
 * before the shares). /root is not among them: the guest keeps nothing there, so a host home of `/root`
 * (Berth run as root) is shared like any other home.
 */
const GUEST_SYSTEM = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib64',
  '/mnt/data',
  '/proc',
  '/run',
  '/sbin',
  '/sys',
  '/tmp',
  '/usr',
  '/var/lib/containerd',
  '/var/lib/docker',
  '/var/log',
  '/var/run',
];
/** Inside these nothing may be mounted either (virtual or owned by the engine). /tmp subfolders are fine. */
const NO_SHARES_INSIDE = GUEST_SYSTEM.filter((p) => p !== '/tmp');

export function normalize(p: string): string {
  const n = path.posix.normalize(p);
  return n.length > 1 && n.endsWith('/') ? n.slice(0, -1) : n;
}

/** True when `child` is `parent` or below it, by path components (so /homework is not inside /home). */
export function isWithin(child: string, parent: string): boolean {
  const c = normalize(child);
  const p = normalize(parent);
  if (p === '/') return c.startsWith('/');
  return c === p || c.startsWith(`${p}/`);
}

/** Why a host folder cannot be shared at the same path in the guest; null when it can. */
export function shareProblem(hostPath: string): string | null {
  if (!path.posix.isAbsolute(hostPath)) return `${hostPath} is not an absolute path`;
  const p = normalize(hostPath);
  const covered = GUEST_SYSTEM.find((sys) => isWithin(sys, p));
  if (covered) {
    return `${p} cannot be shared: mounted at the same path in the VM it would hide the VM's own ${covered}; share a folder inside it instead`;
  }
  const inside = NO_SHARES_INSIDE.find((sys) => isWithin(p, sys));
  if (inside) return `${p} cannot be shared: ${inside} belongs to the VM itself`;
  return null;
}

/**
 * Settings' folder list -> the shares the VM boots with. Missing folders, folders that would cover the guest's
 * own directories, and folders inside another share (already visible through it) are skipped with a reason,
 * never fatal: a stale entry in the settings must not keep the VM from booting.
 */
export function resolveShares(folders: readonly string[], isDirectory: (p: string) => boolean): ResolvedShares {
  const skipped: SkippedShare[] = [];
  const accepted: string[] = [];
  const candidates = [...new Set(folders.map((f) => (path.posix.isAbsolute(f) ? normalize(f) : f)))];
  // Shortest first, so a parent wins over a child listed before it.
  candidates.sort((a, b) => a.length - b.length);
  for (const p of candidates) {
    const problem = shareProblem(p);
    if (problem) {
      skipped.push({ path: p, reason: problem });
      continue;
    }
    const parent = accepted.find((a) => isWithin(p, a));
    if (parent) {
      skipped.push({ path: p, reason: `${p} is already shared through ${parent}` });
      continue;
    }
    if (!isDirectory(p)) {
      skipped.push({ path: p, reason: `${p} does not exist or is not a folder` });
      continue;
    }
    accepted.push(p);
  }
  // Tags by settings order, so they stay stable while the list does.
  const ordered = folders.map((f) => normalize(f)).filter((f, i, all) => accepted.includes(f) && all.indexOf(f) === i);
  return { shares: ordered.map((p, i) => ({ tag: `berth${i}`, path: p })), skipped };
}

/**
 * True for a path that is the guest's own: `/` itself or a path inside one of its system folders, where no share
 * can be (so a bind mount of `/var/run/docker.sock`, `/proc` or `/etc/localtime` means the VM's, as with any
 * remote engine). /tmp is not the guest's in this sense: shares may lie inside it, and a host user naming
 * /tmp/x means the host's.
 */
export function isGuestPath(p: string): boolean {
  const n = normalize(p);
  return n === '/' || NO_SHARES_INSIDE.some((sys) => isWithin(n, sys));
}
