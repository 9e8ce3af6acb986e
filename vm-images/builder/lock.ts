import fs from 'node:fs/promises';

/**
 * An exclusive lock file holding the owner's pid. A lock whose owner is gone (a crashed build) is taken over;
 * a live owner is waited for, so the test runner and the app asking for the same image build it once.
 */
export async function withLock<T>(lockPath: string, onWait: () => void, fn: () => Promise<T>): Promise<T> {
  let announced = false;
  for (;;) {
    try {
      const fh = await fs.open(lockPath, 'wx');
      await fh.writeFile(String(process.pid));
      await fh.close();
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number((await fs.readFile(lockPath, 'utf8').catch(() => '')).trim());
      // An empty file is a lock being written right now, unless it has been empty for a while.
      const age = Date.now() - ((await fs.stat(lockPath).catch(() => null))?.mtimeMs ?? 0);
      if ((owner && !isAlive(owner)) || (!owner && age > 10_000)) {
        // Another waiter may take it over at the same moment; whoever then wins `wx` holds it.
        await fs.rm(lockPath, { force: true });
        continue;
      }
      if (!announced) { onWait(); announced = true; }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockPath, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
