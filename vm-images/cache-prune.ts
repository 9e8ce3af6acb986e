import fs from 'node:fs/promises';
import path from 'node:path';
import type { GuestArch, ImageVariant } from './types';

const IMAGE_DIR = /^[0-9a-f]{16}$/;

/**
 * Deletes cached images a newer recipe of the same architecture and variant has replaced: each is ~250 MB and
 * every recipe change would otherwise leave one behind. A VM still running from one keeps its open files (the
 * kernel and initrd are already in its memory); other variants (the benchmark's systemd image) are left alone.
 * Best effort: a directory that cannot be read or removed is skipped. Returns the names removed.
 */
export async function pruneSupersededImages(cache: string, keep: { hash: string; arch: GuestArch; variant: ImageVariant }):
  Promise<string[]> {
  const removed: string[] = [];
  for (const name of await fs.readdir(cache).catch(() => [] as string[])) {
    if (!IMAGE_DIR.test(name) || name === keep.hash) continue;
    const dir = path.join(cache, name);
    const manifest = await readManifest(path.join(dir, 'manifest.json'));
    if (manifest?.arch !== keep.arch || manifest.variant !== keep.variant) continue;
    try {
      await fs.rm(dir, { recursive: true, force: true });
      removed.push(name);
    } catch {
      // Busy (Windows keeps open files) or not ours to delete: try again after the next build.
    }
  }
  return removed;
}

async function readManifest(file: string): Promise<{ arch?: unknown; variant?: unknown } | null> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as { arch?: unknown; variant?: unknown };
  } catch {
    return null;
  }
}
