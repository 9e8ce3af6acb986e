import fs from 'node:fs/promises';
import net from 'node:net';

export class AgentAlreadyRunning extends Error {
  constructor(readonly socketPath: string) {
    super(`A Berth agent is already running (socket ${socketPath})`);
  }
}

function listen(server: net.Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createConnection(socketPath);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}

/**
 * Binds the agent's control socket, which is also what makes the agent a singleton: binding a unix socket is
 * atomic, so of two agents starting at once exactly one wins. A socket file nobody answers on is left over
 * from a crash and is replaced. The socket is created 0600 (umask) so no other user can connect even for an
 * instant.
 */
export async function bindControlSocket(server: net.Server, socketPath: string): Promise<void> {
  const previousMask = process.umask(0o177);
  try {
    try {
      await listen(server, socketPath);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
      if (await answers(socketPath)) throw new AgentAlreadyRunning(socketPath);
      await fs.rm(socketPath, { force: true });
      await listen(server, socketPath);
    }
    await fs.chmod(socketPath, 0o600);
  } finally {
    process.umask(previousMask);
  }
}
