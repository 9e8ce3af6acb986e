import type Docker from 'dockerode';
import { BerthError } from '../base/errors';
import type { RegistryAuthConfig } from '../contract/registry';
import type { PullBatch } from '../contract/model';
import type { PumpSink } from '../protocol/pump';
import { engineError } from './docker-errors';
import { forwardLayerProgress } from './layer-progress';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

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
  const failure = await forwardLayerProgress(stream, sink, (updates): PullBatch => ({ updates }));
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
