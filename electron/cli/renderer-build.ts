import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUILT = path.join(ROOT, 'dist/renderer');

/**
 * Why the built UI must be rebuilt, or null when it is current. The bundle lists what it was made from
 * (build-inputs.json, written by renderer/vite.config.ts), so an edit anywhere the UI reaches — renderer/,
 * electron/contract/, the protocol client — counts, and nothing else does.
 */
export function rendererStaleness(root = ROOT, built = BUILT): string | null {
  const index = path.join(built, 'index.html');
  if (!fs.existsSync(index)) return 'not built yet';
  let inputs: string[];
  try {
    inputs = JSON.parse(fs.readFileSync(path.join(built, 'build-inputs.json'), 'utf8')) as string[];
  } catch {
    return 'built without a list of its inputs';
  }
  const builtAt = fs.statSync(index).mtimeMs;
  for (const input of inputs) {
    const stat = fs.statSync(path.join(root, input), { throwIfNoEntry: false });
    if (!stat) return `${input} is gone`;
    if (stat.mtimeMs > builtAt) return `${input} changed`;
  }
  return null;
}

/** Builds the UI when it is missing or older than its sources, so `npm run web` always serves current code. */
export function ensureRendererBuilt(log: (line: string) => void): void {
  const why = rendererStaleness();
  if (!why) return;
  log(`Building the UI (${why})…`);
  const result = spawnSync(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('Building the UI failed (see the output above).');
}
