/**
 * images.build: a host folder built into an image by the engine's /build API, its output streamed step by step.
 *
 * Which builder: BuildKit (`version=2`), as `docker build` uses, with a session beside the build that answers
 * the builder's registry credential requests from the stored logins (buildkit-session.ts); its progress arrives
 * as protobuf status messages (buildkit-output.ts). An engine that cannot open a session (no BuildKit there)
 * gets the classic builder, whose "Step N/M" lines build-output.ts reads. The first event says which ran.
 */
import type Docker from 'dockerode';
import { BerthError } from '../base/errors';
import { onJsonLines } from '../base/json-lines';
import type { BuildBatch, BuildEvent, BuildParams } from '../contract/build';
import type { RegistryAuthConfig } from '../contract/registry';
import { pump, type PumpSink } from '../protocol/pump';
import { prepareBuildContext } from './build-context';
import { BuildOutputParser, type BuildLine } from './build-output';
import { BuildkitOutputParser } from './buildkit-output';
import { openBuildSession, type BuildSession } from './buildkit-session';
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
  // No session means no BuildKit: an engine without /session (or with BuildKit off) builds the classic way.
  const session: BuildSession | null = await openBuildSession(docker, logins).catch(() => null);
  let stream: Destroyable;
  try {
    const query = {
      dockerfile: ctx.dockerfile,
      // The API takes `t` once per tag; docker-modem sends an array as repeated parameters.
      t: tags,
      ...(params.target ? { target: params.target } : {}),
      buildargs: JSON.stringify(Object.fromEntries((params.buildArgs ?? []).map((a) => [a.name, a.value]))),
      nocache: params.noCache ?? false,
      rm: true,
      forcerm: true,
      ...(session ? { version: '2', session: session.id } : {}),
    };
    stream = await new Promise<Destroyable>((resolve, reject) =>
      docker.modem.dial(
        {
          path: '/build?',
          method: 'POST',
          file: ctx.tar(),
          options: query,
          abortSignal: sink.signal,
          isStream: true,
          // X-Registry-Config: the stored logins by registry, as the docker CLI sends (the classic builder uses it).
          ...(logins.length ? { registryconfig: Object.fromEntries(logins.map((a) => [a.serveraddress, a])) } : {}),
          statusCodes: { 200: true, 400: 'bad parameter', 500: 'server error' },
        },
        (err: Error | null, res: unknown) => (err ? reject(err) : resolve(res as Destroyable)),
      ),
    );
  } catch (err) {
    session?.close();
    throw engineError(err, 'The engine refused the build');
  }

  const parser = session ? new BuildkitOutputParser() : new BuildOutputParser();
  let queue: BuildEvent[] = [{ kind: 'builder', name: session ? 'BuildKit' : 'classic' }];
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
    session?.close();
  }
  if (sink.signal.aborted) throw new BerthError('cancelled', 'The build was cancelled');
  const f = parser.failure;
  if (f) {
    // BuildKit's step names carry their place ("[2/3] RUN make"); the classic builder's are numbered here.
    const where = !f.step ? 'before its first step' : session ? `at ${f.instruction}` : `at step ${f.step}${f.instruction ? ` (${f.instruction})` : ''}`;
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
