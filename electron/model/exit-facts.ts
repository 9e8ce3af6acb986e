import type Docker from 'dockerode';
import type { ContainerSummary } from '../contract/model';

/** What the engine's list omits about why a container stopped; only inspect has it. */
export type ExitFacts = Pick<ContainerSummary, 'oomKilled' | 'restartCount'>;

/** Events after which a container's OOM flag or restart count may have changed. */
const FACT_EVENTS = new Set(['die', 'oom', 'restart']);

/**
 * Whether an event calls for an inspect. A start does only when it may clear what the row shows (an earlier OOM
 * kill or restarts): `compose up` of 50 fresh services costs no inspect at all.
 */
export function changesExitFacts(action: string | undefined, prev: ContainerSummary | undefined): boolean {
  if (action === 'start') return !!prev && (!!prev.oomKilled || !!prev.restartCount || prev.state === 'restarting');
  return !!action && FACT_EVENTS.has(action);
}

/** Containers inspected at once: each inspect is a request on the tunnel the list and the UI share. */
const CONCURRENCY = 4;

/** Inspects each container (a few at a time); one that vanished meanwhile is left out. */
export async function readExitFacts(docker: Docker, ids: string[]): Promise<Map<string, ExitFacts>> {
  const out = new Map<string, ExitFacts>();
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      try {
        const info = await docker.getContainer(id).inspect();
        out.set(id, factsOf(info));
      } catch {
        /* removed meanwhile: the list drops it */
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
  return out;
}

function factsOf(info: Docker.ContainerInspectInfo): ExitFacts {
  const facts: ExitFacts = {};
  if (info.State?.OOMKilled) facts.oomKilled = true;
  if (info.RestartCount) facts.restartCount = info.RestartCount;
  return facts;
}

/** The facts a list refresh keeps from before: the list cannot say them, and no event said they changed. */
export function carriedFacts(prev: ContainerSummary | undefined): ExitFacts {
  if (!prev) return {};
  return {
    ...(prev.oomKilled ? { oomKilled: true } : {}),
    ...(prev.restartCount ? { restartCount: prev.restartCount } : {}),
  };
}
