/**
 * images.build: a host folder built into an image by the engine's /build API, its output streamed step by step.
 *
 * Which builder: the CLASSIC builder (the API's default, `version=1`). BuildKit through the API (`version=2`)
 * needs a gRPC session on a hijacked /session connection beside the build, and its progress arrives as base64
 * protobuf (moby.buildkit.trace) that must be decoded into steps. dockerode 5 carries an auth-only session and a
 * decoder, but neither is proven over Berth's SSH-channel agent, and the classic builder's "Step N/M" lines map
 * one to one onto what the dialog shows (each step, its output, the step that failed). Debian's dockerd 26 runs
 * classic builds without buildx. BuildKit is the follow-up when the engine and a session over the tunnel are
 * tested (see the model README).
 */
import type Docker from 'dockerode';
import { BerthError } from '../base/errors';
import { onJsonLines } from '../base/json-lines';
import type { BuildBatch, BuildEvent, BuildParams } from '../contract/build';
import type { RegistryAuthConfig } from '../contract/registry';
import { pump, type PumpSink } from '../protocol/pump';
import { prepareBuildContext } from './build-context';
import { BuildOutputParser, type BuildLine } from './build-output';
import { engineError } from './docker-errors';
import { onStreamEnd } from './layer-progress';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

/** Pending events a slow client may leave behind before the oldest output lines are dropped (steps never are). */
const MAX_PENDING = 5000;

export async function buildImage(
  docker: Docker,
  params: BuildParams,
  logins: RegistryAuthConfig[],
  sink: PumpSink<BuildBatch>,
): Promise<{ imageId: string }> {
  const ctx = prepareBuildContext(params.folder, params.dockerfile);
  const tags = params.tags ?? [];
  let stream: Destroyable;
  try {
    const options = {
      dockerfile: ctx.dockerfile,
      // The API takes `t` once per tag; docker-modem sends an array as repeated parameters (the types say string).
      t: tags as unknown as string,
      ...(params.target ? { target: params.target } : {}),
      buildargs: Object.fromEntries((params.buildArgs ?? []).map((a) => [a.name, a.value])),
      nocache: params.noCache ?? false,
      rm: true,
      forcerm: true,
      abortSignal: sink.signal,
      // X-Registry-Config: the stored logins by registry, for FROM images that need one (as the docker CLI sends).
      ...(logins.length ? { registryconfig: Object.fromEntries(logins.map((a) => [a.serveraddress, a])) } : {}),
    };
    stream = (await docker.buildImage(ctx.tar(), options)) as Destroyable;
  } catch (err) {
    throw engineError(err, 'The engine refused the build');
  }

  const parser = new BuildOutputParser();
  let queue: BuildEvent[] = [];
  let dropped = 0;
  let streamError: string | null = null;
  let ended = false;
  const enqueue = (events: BuildEvent[]) => {
    queue.push(...events);
    if (queue.length > MAX_PENDING) {
      const excess = queue.length - MAX_PENDING;
      let n = 0;
      queue = queue.filter((e) => e.kind !== 'output' || n++ >= excess);
      dropped += n;
    }
  };
  try {
    await pump(sink, {
      take: () => {
        if (!queue.length) return undefined;
        const batch: BuildBatch = { events: queue, ...(dropped ? { dropped } : {}) };
        queue = [];
        dropped = 0;
        return batch;
      },
      ended: () => ended,
      listen: (wake) => {
        onJsonLines<BuildLine>(stream, (line) => {
          enqueue(parser.feed(line));
          wake();
        });
        onStreamEnd(stream, (error) => {
          streamError = error;
          enqueue(parser.flush());
          if (parser.imageId && !parser.failure) enqueue([{ kind: 'built', imageId: parser.imageId, tags }]);
          ended = true;
          wake();
        });
        return () => undefined;
      },
    });
  } finally {
    stream.destroy?.();
  }
  if (sink.signal.aborted) throw new BerthError('cancelled', 'The build was cancelled');
  const f = parser.failure;
  if (f) {
    const where = f.step ? `at step ${f.step}${f.instruction ? ` (${f.instruction})` : ''}` : 'before its first step';
    throw new BerthError('engine', `The build failed ${where}: ${f.message}`, buildHint(f.message));
  }
  if (streamError) throw new BerthError('engine', `The build stopped: ${streamError}`, 'Check that the engine is running and try again.');
  if (!parser.imageId) throw new BerthError('engine', 'The build ended without an image', 'The output above says how far it got.');
  return { imageId: parser.imageId };
}

/** What to do about the build failures that have one clear remedy. */
function buildHint(message: string): string {
  if (/failed to reach build target/i.test(message)) return 'Check the Target field: it must name a stage (FROM ... AS NAME) in the Dockerfile.';
  if (/pull access denied|repository does not exist|unauthorized|authentication required/i.test(message))
    return 'The base image is private or misspelled: check its name, and log in to its registry (Registries, or `docker login`).';
  if (/non-zero code|did not complete successfully/i.test(message)) return "The step's own output above says why the command failed.";
  if (/dial tcp|i\/o timeout|no such host|TLS handshake/i.test(message)) return 'The engine could not reach the registry: check the name and the VM\'s network.';
  return 'The output above shows the step and its messages.';
}
