import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentInfoFile } from '../../electron/agent/agent';
import { berthPaths } from '../../electron/agent/paths';
import { ensureRendererBuilt } from '../../electron/cli/renderer-build';

const BIN = fileURLToPath(new URL('../../electron/cli/bin.mjs', import.meta.url));

/**
 * Gives the tests a running agent: the one named by BERTH_HOME when the test runner already started Berth
 * (with its VM) for the whole run, or a fresh agent in a temporary home that this setup stops again.
 * Tests read BERTH_URL (the page URL with its token) and BERTH_HOME.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureRendererBuilt((line) => console.log(line));
  const shared = process.env.BERTH_E2E_SHARED_HOME;
  const home = shared ?? fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-'));
  const paths = berthPaths(home);
  const env = { ...process.env, BERTH_HOME: home };
  let agent: ReturnType<typeof spawn> | undefined;
  if (!shared) {
    agent = spawn(process.execPath, [BIN, 'agent'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const deadline = Date.now() + 20_000;
  while (!fs.existsSync(paths.agentInfo)) {
    if (Date.now() > deadline) throw new Error(`The agent did not start (see ${paths.logs}/agent.log)`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const info = JSON.parse(fs.readFileSync(paths.agentInfo, 'utf8')) as AgentInfoFile;
  process.env.BERTH_HOME = home;
  process.env.BERTH_URL = info.url;
  return async () => {
    if (!agent) return;
    spawnSync(process.execPath, [BIN, 'stop'], { env, stdio: 'ignore', timeout: 60_000 });
    agent.kill('SIGKILL');
  };
}
