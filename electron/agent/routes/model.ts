import type Docker from 'dockerode';
import { BerthError } from '../../base/errors';
import { splitRef } from '../../contract/build';
import type { RegistryAuthConfig } from '../../contract/registry';
import { containerAction } from '../../model/container-actions';
import { streamDownload } from '../../model/container-download';
import { deletePath, makeFolder, writeFile } from '../../model/container-file-edits';
import { listFiles, readFile } from '../../model/container-files';
import { engineError } from '../../model/docker-errors';
import { EngineModel, type EngineSource } from '../../model/engine-model';
import { debugShellSession } from '../../model/debug-shell';
import { shellSession } from '../../model/exec-session';
import { buildImage } from '../../model/image-build';
import type { GuestExec } from '../../model/toolbox';
import { pullImage } from '../../model/image-pull';
import { pushImage } from '../../model/image-push';
import { streamLogs } from '../../model/log-stream';
import { runContainer } from '../../model/run';
import { streamStats } from '../../model/stats';
import { explainBindMount } from '../../shares/bind-mounts';
import type { AgentContext, BerthRouter } from '../context';

/** containers.*, images.*, volumes.*, networks.*: the engine model and the actions on it. */
export interface ModelHandlerOptions {
  /** The stored login for the registry an image comes from, if the user has one. */
  registryAuth?: (ref: string) => Promise<RegistryAuthConfig | null>;
  /** Every stored login, for the base images a build pulls. */
  registryAuths?: () => Promise<RegistryAuthConfig[]>;
  /** The host folders the running VM mounted (null: unknown); a bind mount outside them is refused. */
  sharedFolders?: () => readonly string[] | null;
  /** A command in the guest over SSH: the debug shell's toolbox is made from the guest's busybox. */
  guestExec?: GuestExec;
}

export function registerModelHandlers(
  router: BerthRouter,
  ctx: AgentContext,
  engine: EngineSource,
  options: ModelHandlerOptions = {},
): EngineModel {
  const model = new EngineModel(engine, (m) => ctx.log.warn(m));
  ctx.onShutdown(() => model.dispose());
  const docker = (): Docker => {
    if (!engine.status().engine.ready) {
      throw new BerthError(
        'unavailable',
        'The engine is not running',
        'Start it with `berth start` (or the status bar).',
      );
    }
    return engine.docker;
  };
  /** One engine request; a refusal becomes a typed error that says what was being done. */
  const ask = async <T>(what: string, request: (d: Docker) => Promise<T>): Promise<T> => {
    const d = docker();
    try {
      return await request(d);
    } catch (err) {
      throw engineError(err, what);
    }
  };
  /** An engine request whose answer the client does not need (the model shows the change). */
  const act = async (what: string, request: (d: Docker) => Promise<unknown>): Promise<null> => {
    await ask(what, request);
    return null;
  };

  router
    .stream('containers.watch', (_p, sink) => model.watchContainers(sink))
    .stream('images.watch', (_p, sink) => model.images.watch(sink))
    .stream('volumes.watch', (_p, sink) => model.volumes.watch(sink))
    .stream('networks.watch', (_p, sink) => model.networks.watch(sink))

    .call('containers.action', async ({ id, action, force, volumes }) => {
      const name = model.containers.get(id)?.name ?? id.slice(0, 12);
      try {
        await containerAction(docker(), id, action, { force, volumes, name });
      } finally {
        model.refreshContainer(id);
      }
      return null;
    })
    .call('containers.run', async (params) => {
      if (params.name && model.containers.values().some((c) => c.name === params.name)) {
        throw new BerthError(
          'conflict',
          `A container named "${params.name}" already exists`,
          'Choose another name or remove it.',
        );
      }
      // The rule the host docker socket and the run dialog apply: an unshared folder would be an empty one.
      const shares = options.sharedFolders?.();
      for (const m of shares ? params.mounts : []) {
        const problem = explainBindMount(m.source, shares ?? []);
        if (problem) throw new BerthError('bad-request', problem);
      }
      return runContainer(docker(), params);
    })
    .call('containers.inspect', ({ id }) =>
      ask(
        'Could not inspect the container',
        async (d) => (await d.getContainer(id).inspect()) as unknown as Record<string, unknown>,
      ),
    )
    .stream('containers.logs', ({ id, follow, tail }, sink) => {
      docker(); // the engine must be running to start
      return streamLogs(engine, id, { follow, tail }, sink);
    })
    .stream('containers.exec', ({ id, cols, rows, cmd }, sink) => shellSession(docker(), id, { cols, rows }, sink, cmd))
    .stream('containers.debugShell', ({ id, cols, rows }, sink) => {
      const guest = options.guestExec;
      if (!guest) throw new BerthError('unavailable', 'The debug shell needs the VM', 'Start it with `berth start`.');
      return debugShellSession(docker(), guest, id, { cols, rows }, sink);
    })
    .stream('containers.stats', ({ id }, sink) => streamStats(docker(), id, sink))
    .call('containers.files', ({ id, path }) => listFiles(docker(), id, path))
    .call('containers.readFile', ({ id, path, maxBytes }) => readFile(docker(), id, path, maxBytes))
    .call('containers.writeFile', ({ id, path, base64 }) => writeFile(docker(), id, path, Buffer.from(base64, 'base64')))
    .call('containers.mkdir', ({ id, path }) => makeFolder(docker(), id, path))
    .call('containers.deleteFile', ({ id, path }) => deletePath(docker(), id, path))
    .stream('containers.download', ({ id, path, as }, sink) => streamDownload(docker(), id, path, as, sink))

    .call('images.remove', ({ id, force }) =>
      act('Could not remove the image', (d) => d.getImage(id).remove({ force })),
    )
    .call('images.prune', () =>
      ask('Could not prune images', async (d) => {
        const r = await d.pruneImages({ filters: { dangling: ['true'] } });
        return { deleted: r.ImagesDeleted?.length ?? 0, reclaimedBytes: r.SpaceReclaimed ?? 0 };
      }),
    )
    .call('images.history', ({ id }) =>
      ask('Could not read the history', async (d) => {
        const h = (await d.getImage(id).history()) as {
          Id: string;
          Created: number;
          CreatedBy: string;
          Size: number;
          Tags: string[] | null;
          Comment: string;
        }[];
        return h.map((e) => ({
          id: e.Id,
          created: e.Created * 1000,
          createdBy: e.CreatedBy,
          size: e.Size,
          tags: e.Tags ?? [],
          comment: e.Comment,
        }));
      }),
    )
    .stream('images.pull', async ({ ref }, sink) =>
      pullImage(docker(), ref, (await options.registryAuth?.(ref)) ?? null, sink),
    )
    .stream('images.build', async (params, sink) => {
      await buildImage(docker(), params, (await options.registryAuths?.()) ?? [], sink);
    })
    .call('images.tag', ({ id, ref }) => {
      const { repo, tag } = splitRef(ref);
      return act(`Could not tag the image as ${ref}`, (d) => d.getImage(id).tag({ repo, tag: tag ?? 'latest' }));
    })
    .stream('images.push', async ({ ref }, sink) => {
      await pushImage(docker(), ref, (await options.registryAuth?.(ref)) ?? null, sink);
    })

    .call('volumes.create', ({ name, driver }) =>
      act(`Could not create volume ${name}`, (d) => d.createVolume({ Name: name, Driver: driver })),
    )
    .call('volumes.measure', () =>
      ask('Could not measure volumes', async () => ({ updated: await model.measureVolumes() })),
    )
    .call('volumes.remove', ({ name, force }) =>
      act(`Could not remove volume ${name}`, (d) => d.getVolume(name).remove({ force })),
    )
    .call('networks.create', ({ name, driver, internal }) =>
      act(`Could not create network ${name}`, (d) =>
        d.createNetwork({ Name: name, Driver: driver, Internal: internal, CheckDuplicate: true }),
      ),
    )
    .call('networks.remove', ({ name }) =>
      // The UI removes by id (names may repeat); the message names the network the user knows.
      act(`Could not remove network ${model.networks.get(name)?.name ?? name}`, (d) => d.getNetwork(name).remove()),
    );
  return model;
}
