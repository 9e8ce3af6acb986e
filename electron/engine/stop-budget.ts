import type Docker from 'dockerode';

/** How long a clean stop may take before the VM is stopped hard, when the engine is not there to ask. */
export const STOP_BASE_MS = 15_000;
const STOP_PER_CONTAINER_MS = 10_000;
const MAX_MS = 300_000;

/** Budget for a clean stop (docker: null when the engine is not ready): dockerd waits up to 10 s per running container without a SIGTERM handler. */
export async function stopBudgetMs(docker: Docker | null): Promise<number> {
  if (!docker) return STOP_BASE_MS;
  try {
    const running = await Promise.race([
      docker.listContainers(),
      new Promise<never>((_, rej) => setTimeout(() => rej(new Error('timeout')), 3000).unref()),
    ]);
    return Math.min(MAX_MS, STOP_BASE_MS + STOP_PER_CONTAINER_MS * running.length);
  } catch {
    return STOP_BASE_MS;
  }
}
