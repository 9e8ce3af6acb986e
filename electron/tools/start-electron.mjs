#!/usr/bin/env node
// `npm start`: build what the app needs, then launch Electron — or, where Electron's binary could not be
// downloaded (it is fetched on first install, outside npm), say so plainly and point to browser mode.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const electronDir = path.join(root, 'node_modules', 'electron');
const pathFile = path.join(electronDir, 'path.txt');
const binary = fs.existsSync(pathFile) ? path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim()) : null;

if (!binary || !fs.existsSync(binary)) {
  console.error(
    [
      'Berth: the Electron binary is not available on this machine.',
      'npm installs the electron package, but its binary is downloaded separately on first use, and that download',
      'failed or is blocked here. Everything else works: run Berth in your browser instead with',
      '',
      '    npm run web',
      '',
      'or headless with `npx berth start`.',
    ].join('\n'),
  );
  process.exit(1);
}

for (const script of ['build:renderer', 'build:shell']) {
  const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
const child = spawn(binary, [root], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
