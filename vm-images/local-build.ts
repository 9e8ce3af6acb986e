import fs from 'node:fs';
import path from 'node:path';

/** Host tools the recipe cannot do without; the rest (dpkg-deb, chroot, zstd) come with any Debian-like system. */
const REQUIRED_TOOLS = ['mmdebstrap', 'mksquashfs'];

/**
 * Why this machine cannot build the image from the recipe, or null if it can: the build needs Linux, root
 * (mmdebstrap's root mode and chroot) and the tools above on PATH. Asked before falling back to a build, so a
 * Mac or Windows user gets the download's error instead of a confusing `spawn mmdebstrap ENOENT`.
 */
export function localBuildBlocker(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform):
  string | null {
  if (platform !== 'linux') return `building the image needs Linux, this is ${platform}`;
  if (process.getuid?.() !== 0) return 'building the image needs root';
  const missing = REQUIRED_TOOLS.filter((tool) => !onPath(tool, env.PATH ?? ''));
  if (missing.length) return `building the image needs ${missing.join(' and ')} on PATH`;
  return null;
}

function onPath(tool: string, searchPath: string): boolean {
  return searchPath.split(path.delimiter).filter(Boolean).some((dir) => {
    try {
      const file = path.join(dir, tool);
      fs.accessSync(file, fs.constants.X_OK);
      return fs.statSync(file).isFile();
    } catch {
      return false;
    }
  });
}
