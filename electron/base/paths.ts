import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** Every file Berth keeps for one user. BERTH_HOME lets tests and side-by-side installs use their own. */
export interface BerthPaths {
  home: string;
  run: string;
  /** The agent's control socket (CLI and Electron main), mode 0600. */
  agentSocket: string;
  /** agent.json: pid, HTTP port and UI token of the running agent, mode 0600. */
  agentInfo: string;
  /** ui-address.json: browser mode's port and token, kept across agent restarts so open tabs reconnect; 0600. */
  uiAddress: string;
  /** The engine API for the host's docker CLI, mode 0600. */
  dockerSocket: string;
  logs: string;
  settings: string;
  /** VM state: data disk, console log, QMP socket, lock, SSH keys. */
  vm: string;
  /** Credentials for registries, encrypted at rest where the platform allows. */
  credentials: string;
}

export function berthHome(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.BERTH_HOME ?? path.join(os.homedir(), '.berth'));
}

export function berthPaths(home = berthHome()): BerthPaths {
  const run = path.join(home, 'run');
  return {
    home,
    run,
    agentSocket: path.join(run, 'berth.sock'),
    agentInfo: path.join(run, 'agent.json'),
    uiAddress: path.join(home, 'ui-address.json'),
    dockerSocket: path.join(run, 'docker.sock'),
    logs: path.join(home, 'logs'),
    settings: path.join(home, 'settings.json'),
    vm: path.join(home, 'vm'),
    credentials: path.join(home, 'credentials'),
  };
}

/**
 * The docker CLI context for a Berth home. Contexts are per user, not per home: two homes sharing one name
 * would rewrite it in turns. The default home (~/.berth) keeps the plain `berth`; any other home gets
 * `berth-<8 hex of its path>`, stable for that path.
 */
export function dockerContextName(home: string): string {
  const resolved = path.resolve(home);
  if (resolved === path.resolve(os.homedir(), '.berth')) return 'berth';
  return `berth-${createHash('sha256').update(resolved).digest('hex').slice(0, 8)}`;
}
