import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RpcClient } from '../protocol/client';
import { connectUnix } from '../protocol/unix';
import type { BerthContract } from '../contract/contract';
import { BerthError } from '../base/errors';
import type { BerthPaths } from '../base/paths';

export type AgentClient = RpcClient<BerthContract>;

/** '0' tells a background agent not to copy its log lines to stderr (which is agent-stdio.log, kept for crashes). */
export const LOG_ECHO_ENV = 'BERTH_LOG_ECHO';

/** Resolved lazily: the Electron shell is bundled to CommonJS, where it passes its own `agentCommand`. */
const defaultAgentCommand = () => [fileURLToPath(new URL('../cli/bin.mjs', import.meta.url)), 'agent'];

export async function connectAgent(paths: BerthPaths): Promise<AgentClient> {
  try {
    return new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
  } catch {
    throw new BerthError('unavailable', 'The Berth agent is not running', 'Start it with `berth start` (or `npx berth start`).');
  }
}

/**
 * Connects to the running agent, or starts one in the background (detached, in its own session so a Ctrl-C in
 * this terminal does not reach it) and waits for its socket. Its output goes to logs/agent-stdio.log.
 */
export interface AgentLaunch {
  /** The runtime that runs the agent: node, or Electron's binary with ELECTRON_RUN_AS_NODE=1. */
  execPath: string;
  /** Arguments that start the agent with that runtime; defaults to this checkout's `bin.mjs agent`. */
  agentCommand?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

export async function ensureAgent(
  paths: BerthPaths,
  launch: AgentLaunch = { execPath: process.execPath },
): Promise<AgentClient> {
  const timeoutMs = launch.timeoutMs ?? 20_000;
  try {
    return new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
  } catch {
    // not running: start it below
  }
  fs.mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  const out = fs.openSync(`${paths.logs}/agent-stdio.log`, 'a', 0o600);
  const child = spawn(launch.execPath, launch.agentCommand ?? defaultAgentCommand(), {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...launch.env, BERTH_HOME: paths.home, [LOG_ECHO_ENV]: '0' },
  });
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code ?? 1));
  child.unref();
  fs.closeSync(out);

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      return new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
    } catch {
      if (exitCode !== null && exitCode !== 0) break;
      // Short: this wait is on the path of every `berth start` that starts the agent.
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  throw new BerthError(
    'unavailable',
    'The Berth agent did not start',
    `See ${paths.logs}/agent-stdio.log and ${paths.logs}/agent.log.`,
  );
}
