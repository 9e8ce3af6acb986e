import os from 'node:os';
import path from 'node:path';

/** Where built guest images are cached, shared by every BERTH_HOME of the user (they are large and immutable). */
export function imageCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache');
  return path.join(base, 'berth', 'images');
}
