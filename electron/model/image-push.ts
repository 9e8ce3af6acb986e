import type Docker from 'dockerode';
import { BerthError } from '../base/errors';
import { splitRef, type PushBatch } from '../contract/build';
import type { RegistryAuthConfig } from '../contract/registry';
import type { PumpSink } from '../protocol/pump';
import { engineError } from './docker-errors';
import { forwardLayerProgress } from './layer-progress';
import { pullHint } from './image-pull';
import { isDockerHub, registryForImage } from '../credentials/registry';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

/**
 * Pushes a tagged image with per-layer progress, using the stored login for its registry (X-Registry-Auth).
 * Resolves with the manifest digest the registry answered, so the image can be pulled back as repo@digest.
 */
export async function pushImage(
  docker: Docker,
  ref: string,
  auth: RegistryAuthConfig | null,
  sink: PumpSink<PushBatch>,
): Promise<{ digest: string | null }> {
  const { repo, tag } = splitRef(ref);
  let stream: Destroyable;
  try {
    // The engine reads the credentials from X-Registry-Auth and refuses a push without that header: an empty
    // login ({}) means "anonymous", which a registry without auth accepts.
    stream = (await docker.getImage(repo).push({ ...(tag ? { tag } : {}), authconfig: auth ?? {} })) as Destroyable;
  } catch (err) {
    const e = engineError(err, `Could not push ${ref}`);
    throw new BerthError(e.code, e.message, pushHint(ref, e.message, auth) ?? e.hint);
  }
  let digest: string | null = null;
  const failure = await forwardLayerProgress(
    stream,
    sink,
    (updates): PushBatch => ({ updates, ...(digest ? { digest } : {}) }),
    (line) => {
      if (line.aux?.Digest) digest = line.aux.Digest;
    },
  );
  if (failure)
    throw new BerthError(
      'engine',
      `Push of ${ref} failed: ${failure}`,
      pushHint(ref, failure, auth) ?? 'Check the name and that the registry is reachable from the VM.',
    );
  return { digest };
}

/** What to do about a failed push, when there is one clear remedy. */
export function pushHint(ref: string, detail: string, auth: RegistryAuthConfig | null): string | undefined {
  const registry = registryForImage(ref);
  const login = isDockerHub(registry) ? '`docker login`' : `\`docker login ${registry}\``;
  if (/unauthorized|authentication required|denied|no basic auth credentials|insufficient_scope/i.test(detail)) {
    return auth
      ? `The registry refused your stored login for ${registry}: log in again under Registries (or ${login}), and check that the account may push to this repository.`
      : `The registry ${registry} needs a login: log in under Registries (or ${login}), then push again.`;
  }
  if (/does not exist|No such image|An image does not exist locally/i.test(detail)) return `Tag the image as ${ref} first (Tag on its row, or \`docker tag\`).`;
  return pullHint(ref, detail);
}
