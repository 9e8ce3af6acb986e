#!/usr/bin/env node
// `npm test`: every check Berth has, in order of cost, ending with one line `N passed, N failed` summed from the
// runners' JSON reports. Later steps run even when earlier ones fail, so one run shows everything that is wrong.
// The first step installs what the suites need from the host (`berth doctor --fix`), so a fresh machine needs
// nothing but `npm ci && npm test`.
// BERTH_TEST_ONLY=unit,e2e (comma list of step names) runs a subset.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPORTS = path.join(ROOT, 'reports');
const BIN = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const only = process.env.BERTH_TEST_ONLY?.split(',').map((s) => s.trim());

fs.rmSync(REPORTS, { recursive: true, force: true });
fs.mkdirSync(REPORTS, { recursive: true });

const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
const totals = { passed: 0, failed: 0, skipped: 0 };
const lines = [];

function run(cmd, args, extraEnv = {}) {
  const started = Date.now();
  const result = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', env: { ...env, ...extraEnv } });
  return { ok: result.status === 0, seconds: ((Date.now() - started) / 1000).toFixed(1) };
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A step that is one check (typecheck, lint): it passes or fails as a whole. */
function check(name, cmd, args) {
  if (only && !only.includes(name)) return;
  console.log(`\n=== ${name} ===`);
  const { ok, seconds } = run(cmd, args);
  totals[ok ? 'passed' : 'failed'] += 1;
  lines.push(`${name}: ${ok ? 'ok' : 'FAILED'} (${seconds} s)`);
}

/** A vitest run; its JSON report is the truth, and a run that wrote none counts as one failure. */
function vitest(name, config, extraEnv = {}) {
  if (only && !only.includes(name)) return;
  console.log(`\n=== ${name} ===`);
  const report = path.join(REPORTS, `${name}.json`);
  const { ok, seconds } = run(
    BIN('vitest'),
    ['run', '--config', config, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    extraEnv,
  );
  const json = readJson(report);
  if (!json) {
    totals.failed += 1;
    lines.push(`${name}: no report (runner crashed) (${seconds} s)`);
    return;
  }
  const failed = json.numFailedTests + (ok || json.numFailedTests ? 0 : 1);
  totals.passed += json.numPassedTests;
  totals.failed += failed;
  totals.skipped += json.numPendingTests + json.numTodoTests;
  lines.push(`${name}: ${json.numPassedTests} passed, ${failed} failed (${seconds} s)`);
}

function playwright(name, extraEnv = {}) {
  if (only && !only.includes(name)) return;
  console.log(`\n=== ${name} ===`);
  const report = path.join(REPORTS, 'playwright.json');
  const { ok, seconds } = run(BIN('playwright'), ['test', '-c', 'e2e/playwright.config.ts'], extraEnv);
  const json = readJson(report);
  if (!json) {
    totals.failed += 1;
    lines.push(`${name}: no report (runner crashed) (${seconds} s)`);
    return;
  }
  const s = json.stats;
  const failed = s.unexpected + s.flaky + (ok || s.unexpected ? 0 : 1);
  totals.passed += s.expected;
  totals.failed += failed;
  totals.skipped += s.skipped;
  lines.push(`${name}: ${s.expected} passed, ${failed} failed (${seconds} s)`);
}

check('setup', process.execPath, [path.join(ROOT, 'electron/cli/bin.mjs'), 'doctor', '--fix', '--for', 'run,image-build,test']);
check('typecheck', BIN('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
check('lint', BIN('eslint'), ['-c', 'electron/tools/eslint.config.js', '.']);
vitest('unit', 'electron/tools/vitest.unit.config.ts');
check('vm-image', process.execPath, [path.join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'vm-images/build.ts']);
vitest('vm', 'electron/tools/vitest.vm.config.ts');
playwright('e2e');

console.log('\n=== summary ===');
for (const line of lines) console.log(line);
if (totals.skipped) console.log(`(${totals.skipped} skipped)`);
const ranNothing = totals.passed + totals.failed === 0;
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(totals.failed > 0 || ranNothing ? 1 : 0);
