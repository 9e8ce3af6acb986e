/**
 * The VM commands against a real agent with no VM: `berth reset` refuses without --yes and lists what it would
 * delete; with --yes it deletes; `berth df` says the engine is not running; `berth diagnose --out` writes the
 * bundle.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('./bin.mjs', import.meta.url));
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bvc-'));
const env = { ...process.env, BERTH_HOME: home, NO_COLOR: '1' };

async function berth(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env, cwd: home });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

afterAll(async () => {
  await berth('stop');
  fs.rmSync(home, { recursive: true, force: true });
});

describe('berth reset, df and diagnose without a VM', () => {
  it('reset refuses without --yes, saying what it would delete; deletes with it', async () => {
    fs.writeFileSync(path.join(home, 'settings.json'), JSON.stringify({ cpus: 1, dockerContext: false }));
    const refused = await berth('reset');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`${path.join(home, 'settings.json')}: settings`);
    expect(refused.out).toContain(`(absent) ${path.join(home, 'vm', 'data.qcow2')}: the data disk`);
    expect(refused.out).toContain('Refusing without --yes');
    expect(fs.existsSync(path.join(home, 'settings.json'))).toBe(true);
    const done = await berth('reset', '--yes');
    expect(done.code).toBe(0);
    expect(done.out).toContain(`removed ${path.join(home, 'settings.json')}`);
    expect(fs.existsSync(path.join(home, 'settings.json'))).toBe(false);
  }, 60_000);

  it('df and diagnose answer with the engine stopped', async () => {
    const df = await berth('df');
    expect(df.out).toContain('The engine is not running');
    expect(df.out).toContain('data disk  not created yet');
    const out = path.join(home, 'diag.tar.gz');
    const diag = await berth('diagnose', '--out', out);
    expect(diag.code).toBe(0);
    const { stdout } = await run('tar', ['-tzf', out]);
    expect(stdout).toMatch(/berth-diagnostics-[^/]+\/status\.json/);
    expect(stdout).toMatch(/logs\/agent\.log/);
    expect(stdout).not.toMatch(/agent\.json|id_ed25519|registries\.json/);
  }, 60_000);
});
