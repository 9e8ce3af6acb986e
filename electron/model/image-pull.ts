import type Docker from 'dockerode';
import { BerthError } from '../base/errors';
import { onJsonLines } from '../base/json-lines';
import type { RegistryAuthConfig } from '../contract/registry';
import type { PullBatch, PullProgress } from '../contract/model';
import { pump, type PumpSink } from '../protocol/pump';
import { engineError } from './docker-errors';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

interface PullLine {
  id?: string;
  status?: string;
  error?: string;
  progressDetail?: { current?: number; total?: number };
}

/** Per-layer progress of a pull, ending when the image is there or with the engine's error. */
export async function pullImage(
  docker: Docker,
  ref: string,
  auth: RegistryAuthConfig | null,
  sink: PumpSink<PullBatch>,
): Promise<void> {
  let stream: Destroyable;
  try {
    stream = (await docker.pull(ref, auth ? { authconfig: auth } : {})) as Destroyable;
  } catch (err) {
    const e = engineError(err, `Could not pull ${ref}`);
    throw new BerthError(e.code, e.message, pullHint(ref, e.message) ?? e.hint);
  }
  // The latest line per layer: a slow client sees fewer, fresher updates.
  const latest = new Map<string, PullProgress>();
  let failure: string | null = null;
  let ended = false;
  try {
    await pump(sink, {
      take: () => {
        if (!latest.size) return undefined;
        const updates = [...latest.values()];
        latest.clear();
        return { updates };
      },
      ended: () => ended,
      listen: (wake) => {
        onJsonLines<PullLine>(stream, (j) => {
          if (j.error) failure = j.error;
          const p: PullProgress = { status: j.status ?? j.error ?? '', ...(j.id ? { id: j.id } : {}) };
          if (j.progressDetail?.total)
            Object.assign(p, { current: j.progressDetail.current ?? 0, total: j.progressDetail.total });
          latest.set(j.id ?? `status:${latest.size}`, p);
          wake();
        });
        const end = () => {
          ended = true;
          wake();
        };
        stream.on('end', end);
        stream.on('close', end);
        stream.on('error', (err: Error) => {
          failure ??= err.message;
          end();
        });
        return () => undefined;
      },
    });
  } finally {
    stream.destroy?.();
  }
  if (failure)
    throw new BerthError(
      'engine',
      `Pull of ${ref} failed: ${failure}`,
      pullHint(ref, failure) ?? 'Check the name and that the registry is reachable from the VM.',
    );
}

/** What to do about the pull failures that have one clear remedy; undefined for the rest. */
export function pullHint(ref: string, detail: string): string | undefined {
  if (/server gave HTTP response to HTTPS client/i.test(detail)) {
    const host = ref.split('/')[0];
    return (
      `The registry ${host} serves plain HTTP, which the engine refuses by default: add "${host}" to the engine's ` +
      `insecure registries in Settings > Docker Engine ({"insecure-registries": ["${host}"]}, or \`berth settings set ` +
      `engineConfig='{"insecure-registries": ["${host}"]}'\`) and restart the VM, or serve it over HTTPS.`
    );
  }
  return undefined;
}
