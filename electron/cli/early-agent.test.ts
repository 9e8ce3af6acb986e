import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('./bin.mjs', import.meta.url));

// `berth start` launches the agent before its own modules load, and that agent begins the boot by itself. Here
// the boot fails at once (no QEMU on an empty PATH), so no VM is needed: what is checked is that exactly one
// agent is started, that it began the boot without being asked, and that the CLI still reports the error.
describe('berth start launches one agent early, which boots at once', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-early-'));
  const home = path.join(root, 'home');
  const env = { HOME: os.homedir(), PATH: path.join(root, 'empty-bin'), BERTH_HOME: home, XDG_CACHE_HOME: path.join(root, 'cache'), DOCKER_CONFIG: path.join(root, 'docker-config') };
  const berth = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { env, encoding: 'utf8', timeout: 60_000 });
  const agentLog = () => fs.readFileSync(path.join(home, 'logs', 'agent.log'), 'utf8');
  fs.mkdirSync(env.PATH, { recursive: true });
  afterAll(() => {
    berth('stop');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('starts one agent, which boots before the CLI asks; the CLI says why the boot failed', () => {
    const run = berth('start');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Missing on this host: .*qemu-system/);
    const log = agentLog();
    expect(log.match(/info agent \d+ listening/g)).toHaveLength(1);
    // The agent's own boot, begun without a call; the CLI's vm.start joined it, or (once it had failed) tried again.
    expect(log).toMatch(/error boot at launch failed: Missing on this host/);
    expect(log.match(/vm starting prepare/g)?.length).toBeLessThanOrEqual(2);
    const stdio = fs.readFileSync(path.join(home, 'logs', 'agent-stdio.log'), 'utf8');
    expect(stdio).not.toMatch(/already running/);
  }, 90_000);

  it('with the agent running, starts none: the next start talks to the same agent', () => {
    const before = agentLog().match(/info agent (\d+) listening/g);
    const run = berth('start');
    expect(run.status).toBe(1);
    expect(agentLog().match(/info agent (\d+) listening/g)).toEqual(before);
  }, 90_000);
});
