import type Docker from 'dockerode';
import { engineError, isNotModified } from './docker-errors';
import { BerthError } from '../base/errors';
import type { runParams } from '../contract/run-spec';
import type { z } from 'zod';

/** Creates and starts a container from validated run params (what `docker run -d` does). */
export async function runContainer(docker: Docker, p: z.output<typeof runParams>): Promise<{ id: string; name: string }> {
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostPort: string }[]> = {};
  for (const port of p.ports) {
    const key = `${port.container}/${port.protocol}`;
    exposed[key] = {};
    if (port.host) (bindings[key] ??= []).push({ HostPort: String(port.host) });
  }
  let container: Docker.Container;
  try {
    container = await docker.createContainer({
      Image: p.image,
      ...(p.name ? { name: p.name } : {}),
      ...(p.command ? { Cmd: p.command } : {}),
      Env: p.env.map((e) => `${e.key}=${e.value}`),
      ExposedPorts: exposed,
      HostConfig: {
        PortBindings: bindings,
        Mounts: p.mounts.map((m) => ({
          Type: m.source.startsWith('/') ? ('bind' as const) : ('volume' as const),
          Source: m.source,
          Target: m.target,
          ReadOnly: m.readOnly,
        })),
        RestartPolicy: { Name: p.restart === 'no' ? '' : p.restart },
      },
    });
  } catch (err) {
    const e = engineError(err, `Could not create the container from ${p.image}`);
    if (e.code === 'not-found') throw Object.assign(e, { hint: `Pull ${p.image} first (Images → Pull).` });
    throw e;
  }
  try {
    await startOnce(container);
  } catch (err) {
    // `docker run` semantics: a container that never started (its host port taken by another container, a
    // missing bind source) is not left behind as `created`, in the way of the next attempt with the same name.
    await container.remove({ force: true }).catch(() => undefined);
    const e = engineError(err, 'The container did not start, and was removed');
    if (/port is already allocated|address already in use/i.test(e.message)) {
      throw new BerthError(e.code, e.message, 'Another container or program uses that host port: choose another HOST port (or stop what uses it).');
    }
    throw e;
  }
  const info = await container.inspect().catch(() => null);
  return { id: container.id, name: info?.Name.replace(/^\//, '') ?? p.name ?? container.id.slice(0, 12) };
}

async function startOnce(container: Docker.Container): Promise<void> {
  try {
    await container.start();
  } catch (err) {
    // A dropped connection (tunnel reconnecting) says nothing about the container: ask again once; a second
    // start of a started container is a harmless 304.
    const transport = (err as { statusCode?: number }).statusCode === undefined;
    if (!transport) throw err;
    await new Promise((r) => setTimeout(r, 500));
    try {
      await container.start();
    } catch (again) {
      if (!isNotModified(again)) throw again;
    }
  }
}
