import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs module without types (bin.mjs's helper)
import { freshBundle } from './fresh-bundle.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A tiny checkout beside the real one (inside it, so its node_modules resolve), with two sources. */
function scratchCheckout(): string {
  const dir = fs.mkdtempSync(path.join(ROOT, 'node_modules', '.cache', 'bundle-test-'));
  fs.mkdirSync(path.join(dir, 'src', 'deep'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'src', 'deep', 'where.ts'), "export const where: string = new URL('.', import.meta.url).pathname;\n");
  fs.writeFileSync(path.join(dir, 'src', 'main.ts'), "import { where } from './deep/where';\nconsole.log(JSON.stringify({ where, v: 1 }));\n");
  return dir;
}

describe('the CLI bundle (fresh-bundle.mjs)', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('runs the sources as they are, keeps each module its own import.meta.url, and rebuilds after an edit', async () => {
    const dir = scratchCheckout();
    dirs.push(dir);
    const run = (file: string) => JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' })) as { where: string; v: number };
    const first = (await freshBundle(dir, 'src/main.ts')) as string;
    expect(first).toMatch(/\.mjs$/);
    expect(run(first)).toEqual({ where: `${path.join(dir, 'src', 'deep')}/`, v: 1 });
    const builtAt = fs.statSync(first).mtimeMs;

    // Unchanged sources: the same file, not rebuilt.
    expect(await freshBundle(dir, 'src/main.ts')).toBe(first);
    expect(fs.statSync(first).mtimeMs).toBe(builtAt);

    fs.writeFileSync(path.join(dir, 'src', 'main.ts'), "import { where } from './deep/where';\nconsole.log(JSON.stringify({ where, v: 2 }));\n");
    const second = (await freshBundle(dir, 'src/main.ts')) as string;
    expect(run(second).v).toBe(2);
  });

  it('gives null (the caller then runs the sources through tsx) when the sources do not build', async () => {
    const dir = scratchCheckout();
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, 'src', 'main.ts'), 'export const = ;\n');
    expect(await freshBundle(dir, 'src/main.ts')).toBeNull();
  });

  it('the real CLI runs from a bundle of its checkout', () => {
    const out = execFileSync(process.execPath, [path.join(ROOT, 'electron/cli/bin.mjs'), 'help'], { encoding: 'utf8', env: { ...process.env, HOME: os.tmpdir() } });
    expect(out).toContain('Usage: berth <command>');
    const checkout = crypto.createHash('sha256').update(ROOT).digest('hex').slice(0, 12);
    const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules/.cache/berth-cli', checkout, 'main.mjs.inputs.json'), 'utf8')) as { inputs: Record<string, string> };
    expect(Object.keys(manifest.inputs)).toContain('electron/cli/main.ts');
  });
});
