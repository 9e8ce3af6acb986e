import { berthPaths } from '../base/paths';
import { agentListening, BOOT_ENV, rememberEarlyLaunch, spawnAgent } from '../agent/launch';

/**
 * `berth start`'s first step, run by bin.mjs from a bundle of its own (node and a few of our modules) before
 * the CLI's bundle loads: when no agent answers, launch one that begins the boot at once. The agent's node start
 * and module loading then overlap the CLI's, instead of following them; the CLI's ensureAgent waits for this
 * agent rather than starting another.
 */
export async function launchAgentEarly(): Promise<void> {
  const paths = berthPaths();
  if (await agentListening(paths)) return;
  rememberEarlyLaunch(paths, spawnAgent(paths, { execPath: process.execPath }, { [BOOT_ENV]: '1' }));
}
