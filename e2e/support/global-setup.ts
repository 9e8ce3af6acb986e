import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentInfoFile } from '../../electron/agent/agent';
import { berthPaths } from '../../electron/base/paths';
import { ensureRendererBuilt } from '../../electron/cli/renderer-build';
import { startE2eHub } from '../fixtures/fake-hub/e2e';

const BIN = fileURLToPath(new URL('../../electron/cli/bin.mjs', import.meta.url));

/**
 * Gives the tests a running agent: the one named by BERTH_E2E_SHARED_HOME when the test runner already started
 * Berth (with its VM) for the whole run, or a fresh agent in a temporary home that this setup stops again.
 * A fresh agent also boots the VM (`berth start`, as a user would) unless BERTH_E2E_VM=0.
 * Tests read BERTH_URL (the page URL with its token), BERTH_HOME and BERTH_E2E_VM ('1' when a VM runs).
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  ensureRendererBuilt((line) => console.log(line));
  const shared = process.env.BERTH_E2E_SHARED_HOME;
  const withVm = process.env.BERTH_E2E_VM !== '0';
  // Short: the agent's unix sockets live under it (sun_path is ~108 bytes).
  const home = shared ?? fs.mkdtempSync(path.join(os.tmpdir(), 'be-'));
  const paths = berthPaths(home);
  const env = { ...process.env, BERTH_HOME: home, NO_COLOR: '1' };
  // The agent reads the Hub URL at start; a shared agent (started elsewhere) has no fake Hub of ours.
  const hub = shared ? null : await startE2eHub(env);
  let agent: ReturnType<typeof spawn> | undefined;
  if (!shared) {
    fs.mkdirSync(path.dirname(paths.settings), { recursive: true });
    // The developer's docker context stays untouched; the VM gets what a shared 2-core machine can spare.
    // Resource Saver off: a pause between two specs would change what the status bar says (its own tests cover it).
    fs.writeFileSync(
      paths.settings,
      JSON.stringify({ cpus: Math.min(2, os.availableParallelism()), memoryMiB: 2048, dockerContext: false, autostart: false, resourceSaverMinutes: 0 }),
    );
    agent = spawn(process.execPath, [BIN, 'agent'], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  const stopAll = () => {
    if (!agent) return;
    spawnSync(process.execPath, [BIN, 'stop'], { env, stdio: 'ignore', timeout: 90_000 });
    agent.kill('SIGKILL');
    if (!process.env.BERTH_KEEP_HOME) fs.rmSync(home, { recursive: true, force: true });
  };
  const deadline = Date.now() + 20_000;
  while (!fs.existsSync(paths.agentInfo)) {
    if (Date.now() > deadline) {
      stopAll();
      throw new Error(`The agent did not start (see ${paths.logs}/agent.log)`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const info = JSON.parse(fs.readFileSync(paths.agentInfo, 'utf8')) as AgentInfoFile;
  if (!shared && withVm) {
    const t0 = Date.now();
    const started = spawnSync(process.execPath, [BIN, 'start'], { env, encoding: 'utf8', timeout: 240_000 });
    if (started.status !== 0) {
      stopAll();
      throw new Error(`berth start failed (${started.status}): ${started.stderr}\n${started.stdout}`);
    }
    console.log(`VM and engine up in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  }
  process.env.BERTH_HOME = home;
  process.env.BERTH_URL = info.url;
  process.env.BERTH_E2E_VM = shared || withVm ? '1' : '0';
  process.env.DOCKER_HOST = `unix://${paths.dockerSocket}`;
  return async () => {
    stopAll();
    await hub?.close();
  };
}
