import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { BerthPaths } from '../base/paths';

/**
 * Starting the agent process, apart from talking to it (client.ts): this module imports nothing but node and
 * base/, so `berth start` can launch the agent from a tiny bundle before the CLI loads its own modules
 * (electron/cli/early-agent.ts), and the two node starts overlap instead of running one after the other.
 */

/** '0' tells a background agent not to copy its log lines to stderr (which is agent-stdio.log, kept for crashes). */
export const LOG_ECHO_ENV = 'BERTH_LOG_ECHO';

/** '1' tells the agent that a `berth start` launched it: it begins the boot at once, before any client asks. */
export const BOOT_ENV = 'BERTH_BOOT_AT_LAUNCH';

export interface AgentLaunch {
  /** The runtime that runs the agent: node, or Electron's binary with ELECTRON_RUN_AS_NODE=1. */
  execPath: string;
  /** Arguments that start the agent with that runtime; defaults to this checkout's `bin.mjs agent`. */
  agentCommand?: string[];
  env?: Record<string, string>;
  timeoutMs?: number;
}

/** An agent process this process started: its exit code once it has exited, else null. */
export interface LaunchedAgent {
  exitCode(): number | null;
}

/** Resolved lazily: the Electron shell is bundled to CommonJS, where it passes its own `agentCommand`. */
const defaultAgentCommand = () => [fileURLToPath(new URL('../cli/bin.mjs', import.meta.url)), 'agent'];

/**
 * Starts an agent in the background: detached, in its own session so a Ctrl-C in this terminal does not reach
 * it; its output goes to logs/agent-stdio.log.
 */
export function spawnAgent(paths: BerthPaths, launch: AgentLaunch, extraEnv: Record<string, string> = {}): LaunchedAgent {
  fs.mkdirSync(paths.logs, { recursive: true, mode: 0o700 });
  const out = fs.openSync(`${paths.logs}/agent-stdio.log`, 'a', 0o600);
  const child = spawn(launch.execPath, launch.agentCommand ?? defaultAgentCommand(), {
    detached: true,
    stdio: ['ignore', out, out],
    env: { ...process.env, ...launch.env, ...extraEnv, BERTH_HOME: paths.home, [LOG_ECHO_ENV]: '0' },
  });
  let exitCode: number | null = null;
  child.once('exit', (code) => (exitCode = code ?? 1));
  child.unref();
  fs.closeSync(out);
  return { exitCode: () => exitCode };
}

/** Whether an agent answers on the control socket (a connect, nothing sent). */
export function agentListening(paths: BerthPaths): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(paths.agentSocket);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

// The early launch and the CLI's own modules are separate bundles in one process: the handle passes through a
// global registry symbol, not a module variable.
const EARLY = Symbol.for('berth.early-agent-launch');
type EarlyGlobal = { [EARLY]?: { home: string; agent: LaunchedAgent } };

/** Remembers an agent launched before the CLI's modules loaded, for ensureAgent to wait on. */
export function rememberEarlyLaunch(paths: BerthPaths, agent: LaunchedAgent): void {
  (globalThis as EarlyGlobal)[EARLY] = { home: paths.home, agent };
}

/** The agent launched early for this home, if any (once: a later ensureAgent starts its own). */
export function takeEarlyLaunch(paths: BerthPaths): LaunchedAgent | null {
  const g = globalThis as EarlyGlobal;
  const early = g[EARLY];
  delete g[EARLY];
  return early && early.home === paths.home ? early.agent : null;
}
