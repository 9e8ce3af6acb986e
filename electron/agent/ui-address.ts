import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { writeFileAtomic } from '../base/atomic-file';

/**
 * Browser mode's address (port and token), kept in BERTH_HOME between agent runs. An open tab builds its
 * WebSocket URL from its own address and the token it keeps in sessionStorage: if the next agent listens on the
 * same port with the same token, the tab reconnects by itself after `berth stop` and `npm run web`.
 *
 * The file holds the token, so it is 0600 like agent.json, and written atomically (a torn file would only cost
 * a new address, but a half-written token must never be served).
 */
export interface UiAddress {
  port: number;
  token: string;
}

export function newUiToken(): string {
  return crypto.randomBytes(32).toString('base64url');
}

/** The saved address, or null when there is none or it is not one we wrote (then a new one is made). */
export async function readUiAddress(file: string): Promise<UiAddress | null> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch {
    return null;
  }
  const { port, token } = (parsed ?? {}) as Partial<UiAddress>;
  const portOk = Number.isInteger(port) && (port as number) > 0 && (port as number) < 65536;
  const tokenOk = typeof token === 'string' && /^[A-Za-z0-9_-]{40,}$/.test(token);
  return portOk && tokenOk ? { port: port as number, token: token as string } : null;
}

export async function saveUiAddress(file: string, address: UiAddress): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(address, null, 2) + '\n', 0o600);
}

/**
 * Serves on the last run's address, so open tabs reconnect by themselves, and saves the address for the next
 * run. When another program took the port, the UI moves to a free one with a new token: the old tabs will knock
 * on that program's door with the old token, which must open nothing of ours from now on. Those tabs cannot
 * learn the new address; the page tells the user to open what `npm run web` prints.
 */
export async function serveAtSavedAddress<S extends { port: number }>(
  file: string,
  serve: (port: number, token: string) => Promise<S>,
  warn: (message: string) => void,
): Promise<{ server: S; token: string }> {
  const saved = await readUiAddress(file);
  let token = saved?.token ?? newUiToken();
  let server: S;
  try {
    server = await serve(saved?.port ?? 0, token);
  } catch (err) {
    if (!saved || !isPortTaken(err)) throw err;
    token = newUiToken();
    server = await serve(0, token);
    warn(
      `browser mode's port ${saved.port} is taken by another program: the UI moved to port ${server.port} with a new ` +
        'token; open tabs must open the new address (`npm run web` and `berth status` print it)',
    );
  }
  if (saved?.port !== server.port || saved.token !== token) await saveUiAddress(file, { port: server.port, token });
  return { server, token };
}

/** The listen error that means another program holds the saved port. */
function isPortTaken(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return code === 'EADDRINUSE' || code === 'EACCES';
}
