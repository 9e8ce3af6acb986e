import fs from 'node:fs';
import path from 'node:path';

/** Windows spells the variable `Path`; the lookup is case-insensitive there. */
function pathVariable(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string {
  if (platform !== 'win32') return env.PATH ?? '';
  const key = Object.keys(env).find((k) => k.toUpperCase() === 'PATH');
  return key ? (env[key] ?? '') : '';
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where `spawn(name)` would find the program with this environment, or null. Only stats files (no process is
 * started), so it is cheap enough to run before every VM start. On Windows it tries PATHEXT's extensions.
 */
export function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const separator = platform === 'win32' ? ';' : ':';
  const extensions = platform === 'win32' ? ['', ...(env.PATHEXT ?? '.EXE;.CMD;.BAT;.COM').split(';')] : [''];
  for (const dir of pathVariable(env, platform).split(separator)) {
    // An empty entry means the current directory to a shell; spawn should not depend on where it runs.
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return null;
}

/** The first of these absolute paths that is an executable file. */
export function firstExecutable(files: string[]): string | null {
  return files.find(isExecutableFile) ?? null;
}
