import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { BerthError } from '../base/errors';
import { pluginStatus } from '../host/cli-plugins';

/**
 * The real Docker Compose, run on the host against Berth's docker socket. Berth runs the plugin binary itself
 * (`docker-compose`, which works standalone as well as under `docker compose`), found where the docker CLI
 * would find it: the user's plugin folder, then the system plugin folders. Nothing of compose is reimplemented.
 */

export interface ComposeTarget {
  /** Absolute path of the compose file; the project folder is its folder. */
  file: string;
  /** Berth's docker socket on the host. */
  dockerSocket: string;
}

export function composeBinary(env: NodeJS.ProcessEnv = process.env): string {
  const found = pluginStatus({ env }).find((p) => p.file === 'docker-compose');
  if (!found?.path) {
    throw new BerthError(
      'unavailable',
      'Docker Compose is not installed on this host',
      'Run `npx berth doctor --fix`: it installs Docker Compose into ~/.docker/cli-plugins.',
    );
  }
  return found.path;
}

function composeEnv(target: ComposeTarget): NodeJS.ProcessEnv {
  // Only Berth's engine: a DOCKER_CONTEXT or DOCKER_HOST of the agent's own environment must not redirect it.
  const { DOCKER_CONTEXT: _c, DOCKER_HOST: _h, DOCKER_TLS_VERIFY: _t, ...rest } = process.env;
  return { ...rest, DOCKER_HOST: `unix://${target.dockerSocket}` };
}

export interface ComposeRun {
  code: number;
  /** The last lines of its output, for an error message. */
  tail: string[];
}

/**
 * Runs `docker-compose -f FILE ARGS` (the plugin standalone, as `docker compose` would run it) in the project folder; each output line (stdout and stderr) goes to onLine
 * as it comes. A cancel stops compose (SIGINT, as Ctrl-C would: compose then stops what it started cleanly).
 */
export function runCompose(
  target: ComposeTarget,
  args: string[],
  onLine: (line: string, stream: 'stdout' | 'stderr') => void,
  signal?: AbortSignal,
): Promise<ComposeRun> {
  const binary = composeBinary();
  return new Promise((resolve) => {
    const tail: string[] = [];
    // --ansi never: plain progress lines, no escape codes, for a log view and error messages.
    const child = spawn(binary, ['--ansi', 'never', '-f', target.file, ...args], {
      cwd: path.dirname(target.file),
      env: composeEnv(target),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const onAbort = () => child.kill('SIGINT');
    signal?.addEventListener('abort', onAbort, { once: true });
    for (const [stream, input] of [
      ['stdout', child.stdout],
      ['stderr', child.stderr],
    ] as const) {
      readline.createInterface({ input, crlfDelay: Infinity }).on('line', (line) => {
        if (stream === 'stderr' && line.trim()) {
          tail.push(line);
          if (tail.length > 8) tail.shift();
        }
        onLine(line, stream);
      });
    }
    child.on('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ code: 127, tail: [err.message] });
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', onAbort);
      resolve({ code: code ?? 1, tail });
    });
  });
}

/** Runs a compose command whose stdout is JSON (or JSON lines) and returns stdout; a failure throws its message. */
export async function composeOutput(target: ComposeTarget, args: string[], what: string): Promise<string> {
  const out: string[] = [];
  const r = await runCompose(target, args, (line, stream) => {
    if (stream === 'stdout') out.push(line);
  });
  if (r.code !== 0) throw composeFailed(what, r);
  return out.join('\n');
}

export function composeFailed(what: string, r: ComposeRun): BerthError {
  const detail = r.tail.join(' / ') || `exit code ${r.code}`;
  return new BerthError(
    'bad-request',
    `${what} failed: ${detail}`,
    'Fix the compose file or the engine state it names, then try again.',
  );
}
