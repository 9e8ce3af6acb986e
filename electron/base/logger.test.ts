import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger, MAX_LOG_LINE_CHARS } from './logger';

describe('the agent log', () => {
  it('rotates by size: agent.log and agent.log.1, never more than about twice the budget', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-log-'));
    const maxBytes = 64 * 1024;
    const log = createLogger(dir, { echo: false, maxBytes });
    // What 500 token-less requests with long paths once did to an unbounded log, and then some.
    for (let i = 0; i < 5000; i++) log.warn(`refused request ${i}: ${'x'.repeat(200)}`);
    log.info('the newest line');
    const files = (await fs.readdir(dir)).sort();
    expect(files).toEqual(['agent.log', 'agent.log.1']);
    const current = await fs.readFile(path.join(dir, 'agent.log'), 'utf8');
    const previous = await fs.readFile(path.join(dir, 'agent.log.1'), 'utf8');
    expect(Buffer.byteLength(current)).toBeLessThanOrEqual(maxBytes);
    expect(Buffer.byteLength(previous)).toBeLessThanOrEqual(maxBytes);
    expect(current.trimEnd().split('\n').at(-1)).toMatch(/info the newest line$/);
    expect(previous).toMatch(/refused request \d+/);
    expect((await fs.stat(path.join(dir, 'agent.log'))).mode & 0o777).toBe(0o600);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('keeps going across agent restarts, appending to what is there', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-log-'));
    createLogger(dir, { echo: false }).info('first agent');
    createLogger(dir, { echo: false }).info('second agent');
    const text = await fs.readFile(path.join(dir, 'agent.log'), 'utf8');
    expect(text).toMatch(/first agent\n.*second agent\n$/);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('cuts a runaway message short', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-log-'));
    createLogger(dir, { echo: false }).error(`boom ${'y'.repeat(10 * MAX_LOG_LINE_CHARS)}\nsecond line`);
    const text = await fs.readFile(path.join(dir, 'agent.log'), 'utf8');
    expect(text.length).toBeLessThan(MAX_LOG_LINE_CHARS + 200);
    expect(text.split('\n').filter(Boolean)).toHaveLength(1);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
