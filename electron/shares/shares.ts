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
 * to run (its binaries, dockerd's state, sshd's authorized key under /root/.ssh, the tmpfs mounts made before
 * the shares). A host home of `/root` (running as root) lands here on purpose: share a subfolder instead.
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
  '/root/.ssh',
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
/** Inside these nothing may be mounted either (virtual or owned by the engine). /tmp and /root subfolders are fine. */
const NO_SHARES_INSIDE = GUEST_SYSTEM.filter((p) => p !== '/tmp');

function normalize(p: string): string {
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
 * null when `hostPath` (a bind mount's source as the docker client sends it) is visible in the VM; otherwise
 * the sentence to show. Names without a slash are volumes, not bind mounts. The literal path is checked, not
 * its realpath: dockerd resolves the same string inside the VM.
 */
export function explainBindMount(hostPath: string, shares: readonly (string | { path: string })[]): string | null {
  const source = hostPath.trim();
  if (!source || !source.includes('/')) return null;
  if (!path.posix.isAbsolute(source)) {
    return `${source} is a relative path: bind mounts need an absolute host path (the docker CLI expands $PWD for you)`;
  }
  const p = normalize(source);
  const folders = shares.map((s) => (typeof s === 'string' ? s : s.path));
  if (folders.some((f) => isWithin(p, f))) return null;
  return `${p} is not shared with the Berth VM; add it in Settings > Shared folders`;
}

/** The source of a `-v SRC:DST[:OPTS]` / `--mount type=bind,source=SRC,...` spec; null for anything else. */
export function bindSource(spec: string): string | null {
  const s = spec.trim();
  if (s.includes('=')) {
    const fields = Object.fromEntries(
      s.split(',').map((kv) => {
        const i = kv.indexOf('=');
        return i < 0 ? [kv, ''] : [kv.slice(0, i), kv.slice(i + 1)];
      }),
    );
    if (fields.type && fields.type !== 'bind') return null;
    return fields.source ?? fields.src ?? null;
  }
  const src = s.split(':')[0];
  return src.includes('/') ? src : null;
}
