import type Docker from 'dockerode';
import { onJsonLines } from '../../base/json-lines';
import type { RegistryAuthConfig } from '../../contract/registry';
import type { AgentContext, BerthRouter } from '../context';
import { BerthError } from '../../base/errors';
import { engineError, isNotModified } from '../../model/docker-errors';
import { EngineModel, type EngineSource } from '../../model/engine-model';
import { LogLineSplitter } from '../../model/log-lines';
import { runContainer } from '../../model/run';
import { toSample } from '../../model/stats';
import { firstTarFile, parseLsLine } from '../../model/tar';
import type { FileEntry, PullProgress } from '../../contract/model';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };

/** containers.*, images.*, volumes.*, networks.*: the engine model and the actions on it. */
export interface ModelHandlerOptions {
  /** The stored login for the registry an image comes from, if the user has one. */
  registryAuth?: (ref: string) => Promise<RegistryAuthConfig | null>;
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
      throw new BerthError('unavailable', 'The engine is not running', 'Start it with `berth start` (or the status bar).');
    }
    return engine.docker;
  };

  router
    .stream('containers.watch', (_p, sink) => model.watchContainers(sink))
    .stream('images.watch', (_p, sink) => model.images.watch(sink))
    .stream('volumes.watch', (_p, sink) => model.volumes.watch(sink))
    .stream('networks.watch', (_p, sink) => model.networks.watch(sink))

    .call('containers.action', async ({ id, action, force, volumes }) => {
      const c = docker().getContainer(id);
      const name = model.containers.get(id)?.name ?? id.slice(0, 12);
      try {
        switch (action) {
          case 'remove':
            await c.remove({ force, v: volumes });
            break;
          case 'kill':
            await c.kill();
            break;
          case 'start':
            await c.start();
            break;
          case 'stop':
            await c.stop();
            break;
          case 'restart':
            await c.restart();
            break;
          case 'pause':
            await c.pause();
            break;
          case 'unpause':
            await c.unpause();
            break;
        }
      } catch (err) {
        if (!isNotModified(err)) throw engineError(err, `Could not ${action} ${name}`);
      } finally {
        model.refreshContainer(id);
      }
      return null;
    })
    .call('containers.run', async (params) => {
      if (params.name && model.containers.values().some((c) => c.name === params.name)) {
        throw new BerthError('conflict', `A container named "${params.name}" already exists`, 'Choose another name or remove it.');
      }
      return runContainer(docker(), params);
    })
    .call('containers.inspect', async ({ id }) => {
      try {
        return (await docker().getContainer(id).inspect()) as unknown as Record<string, unknown>;
      } catch (err) {
        throw engineError(err, 'Could not inspect the container');
      }
    })
    .stream('containers.logs', async ({ id, follow, tail }, sink) => {
      const c = docker().getContainer(id);
      let tty: boolean;
      try {
        tty = (await c.inspect()).Config.Tty;
      } catch (err) {
        throw engineError(err, 'Could not read the logs');
      }
      const opts = { stdout: true, stderr: true, timestamps: true, tail: tail === 'all' ? undefined : tail };
      let lines: string[] = [];
      const splitter = new LogLineSplitter(!tty, (l) => lines.push(l));
      if (!follow) {
        const buf = (await c.logs({ ...opts, follow: false })) as unknown as Buffer;
        splitter.push(Buffer.isBuffer(buf) ? buf : Buffer.from(String(buf)));
        splitter.flush();
        for (let i = 0; i < lines.length; i += 5000) await sink.push({ lines: lines.slice(i, i + 5000), stream: 'mixed' });
        return;
      }
      const stream = (await c.logs({ ...opts, follow: true })) as unknown as Destroyable;
      sink.signal.addEventListener('abort', () => stream.destroy?.(), { once: true });
      // Reading pauses while the client is behind: the engine holds the rest, the agent holds at most a batch.
      let ended = false;
      let wake: (() => void) | undefined;
      stream.on('data', (chunk: Buffer) => {
        splitter.push(chunk);
        if (lines.length > 20_000) stream.pause();
        wake?.();
      });
      const finished = new Promise<void>((resolve) => {
        const done = () => {
          ended = true;
          splitter.flush();
          wake?.();
          resolve();
        };
        stream.on('end', done);
        stream.on('close', done);
        stream.on('error', done);
      });
      while (!sink.signal.aborted) {
        if (lines.length) {
          const batch = lines;
          lines = [];
          stream.resume();
          await sink.push({ lines: batch, stream: 'mixed' });
          continue;
        }
        if (ended) break;
        await new Promise<void>((r) => {
          wake = r;
          sink.signal.addEventListener('abort', () => r(), { once: true });
        });
        wake = undefined;
      }
      stream.destroy?.();
      await Promise.race([finished, Promise.resolve()]);
    })
    .stream('containers.exec', async ({ id, cols, rows }, sink) => {
      const c = docker().getContainer(id);
      let exec: Docker.Exec;
      try {
        exec = await c.exec({
          // bash when the image has it, else sh: one exec instead of a probe and a second round trip.
          Cmd: ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'],
          AttachStdin: true,
          AttachStdout: true,
          AttachStderr: true,
          Tty: true,
          Env: ['TERM=xterm-256color'],
        });
      } catch (err) {
        throw engineError(err, 'Could not start a shell');
      }
      const duplex = (await exec.start({ hijack: true, stdin: true, Tty: true })) as unknown as NodeJS.ReadWriteStream & {
        destroy?: () => void;
        end(): void;
      };
      void exec.resize({ h: rows, w: cols }).catch(() => undefined);
      sink.onInput((input) => {
        if ('data' in input) duplex.write(input.data);
        else void exec.resize({ h: input.resize.rows, w: input.resize.cols }).catch(() => undefined);
      });
      sink.signal.addEventListener('abort', () => duplex.destroy?.(), { once: true });
      const decoder = new TextDecoder('utf-8');
      let chain = Promise.resolve();
      const ended = new Promise<void>((resolve) => {
        duplex.on('data', (chunk: Buffer) => {
          const text = decoder.decode(chunk, { stream: true });
          if (!text) return;
          duplex.pause();
          chain = chain.then(() => sink.push({ data: text })).then(
            () => void duplex.resume(),
            () => undefined,
          );
        });
        duplex.on('end', () => resolve());
        duplex.on('close', () => resolve());
        duplex.on('error', () => resolve());
      });
      await ended;
      await chain;
      if (sink.signal.aborted) return;
      let exit: number | null = null;
      try {
        exit = (await exec.inspect()).ExitCode ?? null;
      } catch {
        /* the container went away with its shell */
      }
      await sink.push({ exit });
    })
    .stream('containers.stats', async ({ id }, sink) => {
      let stream: Destroyable;
      try {
        stream = (await docker().getContainer(id).stats({ stream: true })) as unknown as Destroyable;
      } catch (err) {
        throw engineError(err, 'Could not read stats');
      }
      sink.signal.addEventListener('abort', () => stream.destroy?.(), { once: true });
      let chain = Promise.resolve();
      await new Promise<void>((resolve) => {
        onJsonLines<Docker.ContainerStats>(stream as unknown as NodeJS.ReadableStream, (raw) => {
          let sample: ReturnType<typeof toSample>;
          try {
            sample = toSample(raw);
          } catch {
            return;
          }
          chain = chain.then(() => sink.push(sample)).catch(() => undefined);
        });
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', resolve);
      });
    })
    .call('containers.files', async ({ id, path }) => {
      const out = await execOutput(docker(), id, ['ls', '-la', path.endsWith('/') ? path : `${path}/`]);
      if (out.exit !== 0) {
        throw new BerthError('not-found', `Cannot list ${path}: ${out.stderr.trim() || `ls exited with ${out.exit}`}`, 'The container must be running and have `ls`.');
      }
      const entries: FileEntry[] = [];
      for (const line of out.stdout.split('\n')) {
        const e = parseLsLine(line.trimEnd());
        if (e) entries.push(e);
      }
      entries.sort((a, b) => Number(b.type === 'dir') - Number(a.type === 'dir') || a.name.localeCompare(b.name));
      return { path, entries };
    })
    .call('containers.readFile', async ({ id, path, maxBytes }) => {
      let tar: Buffer;
      try {
        const stream = (await docker().getContainer(id).getArchive({ path })) as unknown as Destroyable;
        tar = await readLimited(stream, maxBytes + 4096);
      } catch (err) {
        throw engineError(err, `Cannot read ${path}`);
      }
      const file = firstTarFile(tar);
      if (!file) throw new BerthError('bad-request', `${path} is not a regular file`);
      const data = file.data.subarray(0, maxBytes);
      return { path, size: file.size, base64: data.toString('base64'), truncated: file.size > data.length };
    })

    .call('images.remove', async ({ id, force }) => {
      try {
        await docker().getImage(id).remove({ force });
      } catch (err) {
        throw engineError(err, 'Could not remove the image');
      }
      return null;
    })
    .call('images.prune', async () => {
      try {
        const r = await docker().pruneImages({ filters: { dangling: ['true'] } });
        return { deleted: r.ImagesDeleted?.length ?? 0, reclaimedBytes: r.SpaceReclaimed ?? 0 };
      } catch (err) {
        throw engineError(err, 'Could not prune images');
      }
    })
    .call('images.history', async ({ id }) => {
      try {
        const h = (await docker().getImage(id).history()) as {
          Id: string;
          Created: number;
          CreatedBy: string;
          Size: number;
          Tags: string[] | null;
          Comment: string;
        }[];
        return h.map((e) => ({ id: e.Id, created: e.Created * 1000, createdBy: e.CreatedBy, size: e.Size, tags: e.Tags ?? [], comment: e.Comment }));
      } catch (err) {
        throw engineError(err, 'Could not read the history');
      }
    })
    .stream('images.pull', async ({ ref }, sink) => {
      let stream: Destroyable;
      try {
        const authconfig = (await options.registryAuth?.(ref)) ?? undefined;
        stream = (await docker().pull(ref, authconfig ? { authconfig } : {})) as Destroyable;
      } catch (err) {
        throw engineError(err, `Could not pull ${ref}`);
      }
      sink.signal.addEventListener('abort', () => stream.destroy?.(), { once: true });
      // The latest line per layer; a slow client sees fewer, fresher updates.
      const latest = new Map<string, PullProgress>();
      let failure: string | null = null;
      let ended = false;
      let wake: (() => void) | undefined;
      onJsonLines<{ id?: string; status?: string; error?: string; progressDetail?: { current?: number; total?: number } }>(
        stream as unknown as NodeJS.ReadableStream,
        (j) => {
          if (j.error) failure = j.error;
          const p: PullProgress = { status: j.status ?? j.error ?? '', ...(j.id ? { id: j.id } : {}) };
          if (j.progressDetail?.total) Object.assign(p, { current: j.progressDetail.current ?? 0, total: j.progressDetail.total });
          latest.set(j.id ?? `status:${latest.size}`, p);
          wake?.();
        },
      );
      const end = () => {
        ended = true;
        wake?.();
      };
      stream.on('end', end);
      stream.on('close', end);
      stream.on('error', (err: Error) => {
        failure ??= err.message;
        end();
      });
      while (!sink.signal.aborted) {
        if (latest.size) {
          const updates = [...latest.values()];
          latest.clear();
          await sink.push({ updates });
          continue;
        }
        if (ended) break;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
      if (failure) throw new BerthError('engine', `Pull of ${ref} failed: ${failure}`, 'Check the name and that the registry is reachable from the VM.');
    })

    .call('volumes.create', async ({ name, driver }) => {
      try {
        await docker().createVolume({ Name: name, Driver: driver });
      } catch (err) {
        throw engineError(err, `Could not create volume ${name}`);
      }
      return null;
    })
    .call('volumes.measure', async () => {
      docker();
      try {
        return { updated: await model.measureVolumes() };
      } catch (err) {
        throw engineError(err, 'Could not measure volumes');
      }
    })
    .call('volumes.remove', async ({ name, force }) => {
      try {
        await docker().getVolume(name).remove({ force });
      } catch (err) {
        throw engineError(err, `Could not remove volume ${name}`);
      }
      return null;
    })
    .call('networks.create', async ({ name, driver, internal }) => {
      try {
        await docker().createNetwork({ Name: name, Driver: driver, Internal: internal, CheckDuplicate: true });
      } catch (err) {
        throw engineError(err, `Could not create network ${name}`);
      }
      return null;
    })
    .call('networks.remove', async ({ name }) => {
      try {
        await docker().getNetwork(name).remove();
      } catch (err) {
        throw engineError(err, `Could not remove network ${name}`);
      }
      return null;
    });
  return model;
}

async function readLimited(stream: Destroyable, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  return new Promise((resolve, reject) => {
    stream.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size >= limit) {
        stream.destroy?.();
        resolve(Buffer.concat(chunks));
      }
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

async function execOutput(docker: Docker, id: string, cmd: string[]): Promise<{ exit: number | null; stdout: string; stderr: string }> {
  try {
    const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Destroyable;
    let stdout = '';
    let stderr = '';
    const { PassThrough } = await import('node:stream');
    const out = new PassThrough();
    const errOut = new PassThrough();
    out.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    errOut.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    docker.modem.demuxStream(stream, out, errOut);
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', resolve);
    });
    return { exit: (await exec.inspect()).ExitCode ?? null, stdout, stderr };
  } catch (err) {
    throw engineError(err, `Could not run ${cmd[0]} in the container`);
  }
}
