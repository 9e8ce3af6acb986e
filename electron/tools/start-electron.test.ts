import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { RpcClient } from '../protocol/client';
import { openWebSocket } from '../protocol/websocket';
import type { BerthContract } from '../contract/contract';

const START = fileURLToPath(new URL('./start-electron.mjs', import.meta.url));

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** QEMU processes whose command line mentions this Berth home (its data disk lives there). */
function qemuProcessesFor(home: string): number[] {
  return fs
    .readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        return cmdline.includes('qemu-system') && cmdline.includes(home);
      } catch {
        return false;
      }
    })
    .map(Number);
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms; output:\n${output}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`exited with ${code} before ${pattern}; output:\n${output}`)),
    );
  });
}

// Electron's binary cannot be downloaded on the test machines, and the test clears DISPLAY: either way `npm
// start` must fall back to browser mode by itself.
describe.runIf(process.platform === 'linux')('npm start without Electron or a display', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-start-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('serves the UI and the agent at the printed URL, and Ctrl-C stops everything', async () => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      BERTH_HOME: home,
      DOCKER_CONFIG: path.join(home, 'docker-config'),
      BERTH_SKIP_HOST_SETUP: '1',
    };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    child = spawn(process.execPath, [START], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const [, url, port, token] = await waitForLine(
      child,
      /Berth is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/,
      60_000,
    );

    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root">');

    // As the UI does: a WebSocket to /rpc with the token, speaking the protocol.
    const client = new RpcClient<BerthContract>(
      await openWebSocket(new WebSocket(`ws://127.0.0.1:${port}/rpc?token=${token}`)),
    );
    const info = await client.call('agent.info', {});
    expect(info.uiUrl).toBe(url);
    expect(isAlive(info.pid)).toBe(true);
    const vm = await client.call('vm.status', {});
    expect(vm.vm.state).toBe('stopped');
    client.close();

    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    await expect.poll(() => isAlive(info.pid), { timeout: 10_000 }).toBe(false);
    expect(qemuProcessesFor(home)).toEqual([]);
  }, 90_000);
});
