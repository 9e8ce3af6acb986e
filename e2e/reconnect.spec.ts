import { expect, test, type Page } from '@playwright/test';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentInfoFile } from '../electron/agent/agent';
import { berthPaths } from '../electron/base/paths';

// An open tab after `berth stop` and `npm run web`: it reconnects by itself to the restarted agent, which keeps
// its address; when another program took the port, the page says to open the new address. Needs no VM: each
// test runs its own agent in its own home (not the suite's), stopped and started as a user would.

const BIN = fileURLToPath(new URL('../electron/cli/bin.mjs', import.meta.url));

class OwnAgent {
  readonly home = fs.mkdtempSync(path.join(os.tmpdir(), 'be-rc-'));
  readonly paths = berthPaths(this.home);
  private readonly env = { ...process.env, BERTH_HOME: this.home, NO_COLOR: '1' };
  private process: ChildProcess | undefined;

  constructor() {
    fs.writeFileSync(this.paths.settings, JSON.stringify({ dockerContext: false, autostart: false }));
  }

  async start(): Promise<AgentInfoFile> {
    this.process = spawn(process.execPath, [BIN, 'agent'], { env: this.env, stdio: 'ignore' });
    await expect.poll(() => fs.existsSync(this.paths.agentInfo), { timeout: 20_000 }).toBe(true);
    return JSON.parse(fs.readFileSync(this.paths.agentInfo, 'utf8')) as AgentInfoFile;
  }

  /** `berth stop`, as the user runs it. */
  stop(): void {
    const stopped = spawnSync(process.execPath, [BIN, 'stop'], { env: this.env, encoding: 'utf8', timeout: 60_000 });
    expect(stopped.status, stopped.stderr).toBe(0);
  }

  dispose(): void {
    this.process?.kill('SIGKILL');
    fs.rmSync(this.home, { recursive: true, force: true });
  }
}

const agentStatus = (page: Page) => page.getByTestId('agent-status');

test('an open tab reconnects by itself after `berth stop` and a new start', async ({ page }) => {
  const agent = new OwnAgent();
  try {
    const first = await agent.start();
    await page.goto(first.url);
    await expect(agentStatus(page)).toHaveText('Agent connected');
    // The token has left the address bar; the tab keeps it for its reconnects.
    expect(page.url()).not.toContain('token=');

    agent.stop();
    await expect(agentStatus(page)).toContainText('Agent unreachable');

    const second = await agent.start();
    expect(second.url).toBe(first.url);
    await expect(agentStatus(page)).toHaveText('Agent connected', { timeout: 20_000 });
    await expect(page.getByTestId('agent-lost')).toHaveCount(0);
    // Live again, not only connected: the Containers view answers from the new agent.
    await expect(page.getByRole('heading', { level: 1, name: 'Containers' })).toBeVisible();
  } finally {
    agent.dispose();
  }
});

test('when the port was taken meanwhile, the old tab says to open the new address', async ({ page, context }) => {
  const agent = new OwnAgent();
  const squatter = net.createServer((socket) => socket.destroy());
  try {
    const first = await agent.start();
    await page.goto(first.url);
    await expect(agentStatus(page)).toHaveText('Agent connected');

    agent.stop();
    await new Promise<void>((resolve) => squatter.listen(first.port, '127.0.0.1', resolve));
    const second = await agent.start();
    expect(second.port).not.toBe(first.port);

    const lost = page.getByTestId('agent-lost');
    await expect(lost).toBeVisible({ timeout: 30_000 });
    await expect(lost).toContainText(`127.0.0.1:${first.port}`);
    await expect(lost).toContainText('npm run web');
    await expect(lost).toContainText('berth status');

    // The address the user is told to open works.
    const fresh = await context.newPage();
    await fresh.goto(second.url);
    await expect(agentStatus(fresh)).toHaveText('Agent connected');
  } finally {
    await new Promise<void>((resolve) => squatter.close(() => resolve()));
    agent.dispose();
  }
});
