import type Docker from 'dockerode';
import type { z } from 'zod';
import type { ExecItem, execInput } from '../contract/model';
import type { StreamSink } from '../protocol/server';
import { engineError } from './docker-errors';
import { pipeTerminal, type TtyStream } from './exec-session';
import { ensureToolbox, type GuestExec } from './toolbox';

/** Marks toolbox containers (so `docker ps` shows whose they are). */
export const DEBUG_LABEL = 'berth.debug-shell-for';

/** What the shell says first: where the tools are and where the container's files are. */
const GREETING =
  'echo "Berth debug shell: busybox tools, in the PID and network namespaces of the container."; ' +
  'echo "Its files are under /proc/1/root (you are there); its processes: ps."; ' +
  'cd /proc/1/root 2>/dev/null || echo "(/proc/1/root is not readable: the container runs as another user)"; ' +
  'exec sh';

/**
 * A shell for an image without one (distroless, FROM scratch): a toolbox container from the guest's busybox,
 * sharing the target's PID and network namespaces; removed when the shell ends or the client goes away.
 */
export async function debugShellSession(
  docker: Docker,
  guest: GuestExec,
  id: string,
  size: { cols: number; rows: number },
  sink: StreamSink<ExecItem, z.output<typeof execInput>>,
): Promise<void> {
  let container: Docker.Container | undefined;
  let duplex: TtyStream;
  let removed: Promise<number | null>;
  try {
    const image = await ensureToolbox(docker, guest);
    container = await docker.createContainer({
      Image: image,
      Cmd: ['/bin/busybox', 'sh', '-c', GREETING],
      Env: ['TERM=xterm-256color', 'PATH=/bin', 'HOME=/tmp'],
      Labels: { [DEBUG_LABEL]: id },
      Tty: true,
      OpenStdin: true,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      HostConfig: {
        AutoRemove: true,
        PidMode: `container:${id}`,
        NetworkMode: `container:${id}`,
        // ps, /proc/<pid>/root and strace-like reading of the target's processes.
        CapAdd: ['SYS_PTRACE'],
      },
    });
    duplex = (await container.attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true })) as unknown as TtyStream;
    // Asked before start: with AutoRemove the container is gone right after it exits.
    removed = container.wait({ condition: 'removed' }).then(
      (r: { StatusCode?: number }) => r.StatusCode ?? null,
      () => null,
    );
    await container.start();
  } catch (err) {
    // Created but not started (the target stopped meanwhile): AutoRemove never applies, so remove it here.
    await container?.remove({ force: true }).catch(() => undefined);
    throw engineError(err, 'Could not open a debug shell');
  }
  const target = container;
  sink.signal.addEventListener('abort', () => void target.remove({ force: true }).catch(() => undefined), { once: true });
  const done = await pipeTerminal(duplex, (s) => target.resize({ h: s.rows, w: s.cols }), size, sink);
  if (!done) return;
  await sink.push({ exit: await removed });
}
