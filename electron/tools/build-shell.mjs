#!/usr/bin/env node
// Bundles the Electron main process and preload into CommonJS (a sandboxed preload must be a single CJS file).
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const common = { bundle: true, platform: 'node', target: 'node22', format: 'cjs', external: ['electron'], absWorkingDir: root, logLevel: 'warning',
  // agent-client reads import.meta.url only when no agentCommand is given; the shell always passes one.
  logOverride: { 'empty-import-meta': 'silent' } };
await build({ ...common, entryPoints: ['electron/shell/main.ts'], outfile: 'dist/shell/main.cjs', external: ['electron', 'ssh2', 'cpu-features'] });
await build({ ...common, entryPoints: ['electron/shell/preload.ts'], outfile: 'dist/shell/preload.cjs' });
console.log('Built dist/shell/main.cjs and dist/shell/preload.cjs');
