import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import type { z } from 'zod';
import type { ExecItem, execInput } from '../contract/model';
import type { StreamSink } from '../protocol/server';
import { engineError } from './docker-errors';

type Destroyable = NodeJS.ReadableStream & { destroy?: () => void };
type ExecInput = z.output<typeof execInput>;

export const DEFAULT_SHELL = ['/bin/sh', '-c', 'if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi'];

/** An interactive shell on a TTY: keystrokes and resizes in, terminal output out, the exit code last. */
export async function shellSession(
  docker: Docker,
  id: string,
  size: { cols: number; rows: number },
  sink: StreamSink<ExecItem, ExecInput>,
  cmd?: string[],
): Promise<void> {
  let exec: Docker.Exec;
  try {
    exec = await docker.getContainer(id).exec({
      // bash when the image has it, else sh: one exec instead of a probe and a second round trip. An image
      // without /bin/sh (distroless, scratch) needs the client's own command.
      Cmd: cmd ?? DEFAULT_SHELL,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
      Env: ['TERM=xterm-256color'],
    });
  } catch (err) {
    throw engineError(err, 'Could not start a shell');
  }
  const duplex = (await exec.start({ hijack: true, stdin: true, Tty: true })) as unknown as TtyStream;
  const done = await pipeTerminal(duplex, (s) => exec.resize({ h: s.rows, w: s.cols }), size, sink);
  if (!done) return;
  let exit: number | null = null;
  try {
    exit = (await exec.inspect()).ExitCode ?? null;
  } catch {
    /* the container went away with its shell */
  }
  await sink.push({ exit });
}

export type TtyStream = NodeJS.ReadWriteStream & { destroy?: () => void };

/**
 * Joins a hijacked TTY stream to a client's terminal: keystrokes and resizes in, output out (credit-paced).
 * Resolves when the stream ends: true when the program ended, false when the client went away first.
 */
export async function pipeTerminal(
  duplex: TtyStream,
  resize: (size: { cols: number; rows: number }) => Promise<unknown>,
  size: { cols: number; rows: number },
  sink: StreamSink<ExecItem, ExecInput>,
): Promise<boolean> {
  void resize(size).catch(() => undefined);
  sink.onInput((input) => {
    if ('data' in input) duplex.write(input.data);
    else void resize(input.resize).catch(() => undefined);
  });
  sink.signal.addEventListener('abort', () => duplex.destroy?.(), { once: true });
  const decoder = new TextDecoder('utf-8');
  let chain = Promise.resolve();
  await new Promise<void>((resolve) => {
    duplex.on('data', (chunk: Buffer) => {
      const text = decoder.decode(chunk, { stream: true });
      if (!text) return;
      // Credit-paced: the shell's output waits in the engine while the terminal catches up.
      duplex.pause();
      chain = chain
        .then(() => sink.push({ data: text }))
        .then(
          () => void duplex.resume(),
          () => undefined,
        );
    });
    duplex.on('end', () => resolve());
    duplex.on('close', () => resolve());
    duplex.on('error', () => resolve());
  });
  await chain;
  return !sink.signal.aborted;
}

/** Runs a command to completion in a running container and collects its output. */
export async function execOutput(
  docker: Docker,
  id: string,
  cmd: string[],
): Promise<{ exit: number | null; stdout: string; stderr: string }> {
  try {
    const exec = await docker
      .getContainer(id)
      .exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true, Tty: false });
    const stream = (await exec.start({ hijack: true, stdin: false })) as unknown as Destroyable;
    let stdout = '';
    let stderr = '';
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
