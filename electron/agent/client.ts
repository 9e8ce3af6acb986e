import { RpcClient } from '../protocol/client';
import { connectUnix } from '../protocol/unix';
import type { BerthContract } from '../contract/contract';
import { BerthError } from '../base/errors';
import type { BerthPaths } from '../base/paths';
import { spawnAgent, takeEarlyLaunch, type AgentLaunch } from './launch';

export type AgentClient = RpcClient<BerthContract>;

export { LOG_ECHO_ENV, type AgentLaunch } from './launch';

export async function connectAgent(paths: BerthPaths): Promise<AgentClient> {
  try {
    return new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
  } catch {
    throw new BerthError('unavailable', 'The Berth agent is not running', 'Start it with `berth start` (or `npx berth start`).');
  }
}

/**
 * Connects to the running agent, or starts one in the background (launch.ts) and waits for its socket. An agent
 * that `berth start` launched before its modules loaded (electron/cli/early-agent.ts) is waited for, not started
 * twice.
 */
export async function ensureAgent(
  paths: BerthPaths,
  launch: AgentLaunch = { execPath: process.execPath },
): Promise<AgentClient> {
  const timeoutMs = launch.timeoutMs ?? 20_000;
  const early = takeEarlyLaunch(paths);
  if (!early) {
    try {
      return new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
    } catch {
      // not running: start it below
    }
  }
  const agent = early ?? spawnAgent(paths, launch);

  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      return new RpcClient<BerthContract>(await connectUnix(paths.agentSocket));
    } catch {
      const code = agent.exitCode();
      if (code !== null && code !== 0) break;
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
