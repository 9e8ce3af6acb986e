/**
 * Is this bind mount's source visible in the VM? One rule for every door a container comes in by: the run
 * dialog (`shares.check`), the agent's `containers.run`, and the host docker socket's `POST /containers/create`.
 * Pure: no file-system access, the shares are passed in.
 */
import path from 'node:path';
import { isGuestPath, isWithin, normalize } from './shares';

type Folders = readonly (string | { path: string })[];

const folderPaths = (shares: Folders) => shares.map((s) => (typeof s === 'string' ? s : s.path));

/** A shell word for `berth settings set ...` that survives any path (single quotes, with `'` escaped). */
function shellWord(text: string): string {
  return /^[A-Za-z0-9_./=:,@%+-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** What to tell a user whose bind source lies outside every share: the path, why, and the two ways to share it. */
export function notSharedMessage(p: string, shares: Folders): string {
  const next = [...folderPaths(shares), p];
  return (
    `${p} is not shared with the Berth VM, so a container cannot see it. ` +
    `Share it in Settings > Shared folders (or: berth settings set ${shellWord(`shares=${JSON.stringify(next)}`)}), ` +
    `then restart the VM (berth stop, then berth start).`
  );
}

/**
 * null when a bind mount of `source` (as the docker client sends it) works in the VM; otherwise the sentence to
 * show. A source without a `/` is a named volume. A source in a share is the host's folder; one among the
 * guest's own system paths (`/var/run/docker.sock`, `/proc`, `/`) is the VM's, which is what a remote engine
 * gives, so both pass. The literal path is checked, not its realpath: dockerd resolves the same string inside
 * the VM.
 */
export function explainBindMount(source: string, shares: Folders): string | null {
  const s = source.trim();
  if (!s || !s.includes('/')) return null;
  if (!path.posix.isAbsolute(s)) {
    return `${s} is a relative path: bind mounts need an absolute host path (the docker CLI expands $PWD for you)`;
  }
  const p = normalize(s);
  if (folderPaths(shares).some((f) => isWithin(p, f))) return null;
  if (isGuestPath(p)) return null;
  return notSharedMessage(p, shares);
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
  const parts = s.split(':');
  // `/ctr` alone is an anonymous volume at that container path, not a bind.
  return parts.length >= 2 && parts[0].includes('/') ? parts[0] : null;
}

/**
 * The bind sources of an engine `POST /containers/create` body: `HostConfig.Binds` (`SRC:DST[:OPTS]`) and the
 * `HostConfig.Mounts` entries of `Type: "bind"`. Anything not shaped like that is left for dockerd to judge.
 */
export function createBindSources(body: unknown): string[] {
  const host = (body as { HostConfig?: unknown } | null)?.HostConfig;
  if (!host || typeof host !== 'object') return [];
  const { Binds, Mounts } = host as { Binds?: unknown; Mounts?: unknown };
  const out: string[] = [];
  if (Array.isArray(Binds)) {
    for (const b of Binds) {
      // `/ctr` alone would be an anonymous volume; a source without `/` is a named volume (explainBindMount).
      const parts = typeof b === 'string' ? b.split(':') : [];
      if (parts.length >= 2) out.push(parts[0]);
    }
  }
  if (Array.isArray(Mounts)) {
    for (const m of Mounts as { Type?: unknown; Source?: unknown }[]) {
      if (m && m.Type === 'bind' && typeof m.Source === 'string') out.push(m.Source);
    }
  }
  return out;
}

/** null when every bind mount of a container create works in the VM; otherwise the message for the first that does not. */
export function explainCreateRequest(body: unknown, shares: Folders): string | null {
  for (const src of createBindSources(body)) {
    const problem = explainBindMount(src, shares);
    if (problem) return problem;
  }
  return null;
}
