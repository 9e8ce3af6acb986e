import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { BerthError } from '../base/errors';

/** A command run in the guest over SSH (the tunnel's exec). */
export type GuestExec = (command: string) => Promise<{ code: number | null; stdout: string; stderr: string }>;

export const TOOLBOX_REPO = 'berth/toolbox';

/**
 * The guest's static busybox with its applets linked in /bin, tarred and base64'd (SSH exec output is text).
 * Nothing is fetched: it works offline, and the image is only as new as the guest.
 */
const ROOTFS_SCRIPT = [
  'set -e',
  // Every tool through busybox itself: the guest's PATH need not have mktemp, ln or base64.
  'bb=$(command -v busybox)',
  'd=$("$bb" mktemp -d)',
  'trap \'"$bb" rm -rf "$d"\' EXIT',
  '"$bb" mkdir -p "$d/bin" "$d/tmp"',
  '"$bb" chmod 755 "$d"',
  '"$bb" chmod 1777 "$d/tmp"',
  '"$bb" cp "$bb" "$d/bin/busybox"',
  'for a in $("$bb" --list); do [ "$a" = busybox ] || "$bb" ln -s busybox "$d/bin/$a"; done',
  '"$bb" tar -C "$d" -c . | "$bb" base64',
].join('\n');

const building = new Map<string, Promise<string>>();

/** The toolbox image's tag for the guest's busybox (`berth/toolbox:1.37.0`), made once and kept by the engine. */
export async function ensureToolbox(docker: Docker, guest: GuestExec): Promise<string> {
  const head = await guest('busybox 2>&1 | head -1');
  const version = /BusyBox v([0-9][\w.-]*)/.exec(head.stdout)?.[1];
  if (!version) {
    throw new BerthError('engine', 'The VM has no busybox to make a debug shell with', 'The guest image may be damaged: `berth reset` rebuilds it.');
  }
  const tag = `${TOOLBOX_REPO}:${version}`;
  let pending = building.get(tag);
  if (!pending) {
    pending = buildIfMissing(docker, guest, tag).finally(() => building.delete(tag));
    building.set(tag, pending);
  }
  return pending;
}

async function buildIfMissing(docker: Docker, guest: GuestExec, tag: string): Promise<string> {
  try {
    await docker.getImage(tag).inspect();
    return tag;
  } catch {
    /* not made yet */
  }
  const r = await guest(ROOTFS_SCRIPT);
  if (r.code !== 0) throw new BerthError('engine', `Could not make the debug toolbox: ${r.stderr.trim() || `exit ${r.code}`}`);
  const tar = Buffer.from(r.stdout.replace(/\s+/g, ''), 'base64');
  const [repo, version] = tag.split(':');
  const progress = await docker.importImage(Readable.from([tar]) as unknown as NodeJS.ReadableStream, { repo, tag: version });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(progress, (err: Error | null, events: { error?: string }[]) => {
      const failed = err?.message ?? events.find((e) => e.error)?.error;
      if (failed) reject(new BerthError('engine', `Could not import the debug toolbox: ${failed}`));
      else resolve();
    }),
  );
  return tag;
}
