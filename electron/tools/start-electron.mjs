#!/usr/bin/env node
// `npm start`: installs what the VM needs (`berth doctor --fix`), then opens Berth: the Electron app where it can
// run, browser mode otherwise (no Electron binary, or no display), which serves the same UI until Ctrl-C.
// BERTH_SKIP_HOST_SETUP=1 skips the install step (tests, or hosts managed by other means).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const BERTH = path.join(root, 'electron', 'cli', 'bin.mjs');

/** Installs (or names) what the VM needs. Never fatal: browser mode works without a VM. */
function hostSetup() {
  if (process.env.BERTH_SKIP_HOST_SETUP === '1') return;
  const purposes = process.platform === 'linux' ? 'run,image-build' : 'run';
  const result = spawnSync(process.execPath, [BERTH, 'doctor', '--fix', '--quiet', '--for', purposes], {
    stdio: 'inherit',
  });
  if (result.status !== 0) {
    console.error(
      'Berth: continuing without everything the VM needs (see above); the UI opens, the VM will not start.',
    );
  }
}

/** Electron's binary, or null: npm installs the package, but the binary is a separate download that can fail. */
function electronBinary() {
  const electronDir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(electronDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const binary = path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? binary : null;
}

/** macOS and Windows always have one; elsewhere a window needs X11 or Wayland. */
function hasDisplay() {
  if (process.platform === 'darwin' || process.platform === 'win32') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

function launchElectron(binary) {
  for (const script of ['build:renderer', 'build:shell']) {
    const result = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  const child = spawn(binary, [root], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
}

/** The user's default browser; failing to open one is fine, the URL is printed. */
function openBrowser(url) {
  const [cmd, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => {});
  child.unref();
}

function runBerth(args, stdout = 'inherit') {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BERTH, ...args], {
      cwd: root,
      stdio: ['ignore', stdout, 'inherit'],
    });
    let output = '';
    child.stdout?.on('data', (chunk) => (output += chunk));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * `berth web` starts the agent (detached: it outlives this process unless stopped) and prints the UI's URL.
 * Ctrl-C then does what `berth stop` does: the VM powers down cleanly, then the agent exits.
 */
async function browserMode(reason) {
  const stopRequested = new Promise((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.once(signal, () => resolve(signal));
  });

  const web = await runBerth(['web'], 'pipe');
  const url = /Berth is running at (\S+)/.exec(web.output)?.[1];
  if (web.code !== 0 || !url) {
    process.stdout.write(web.output);
    await runBerth(['stop']);
    process.exit(web.code || 1);
  }
  console.log(`Berth is running at ${url}`);
  console.log(`Browser mode: ${reason}. Ctrl-C stops Berth.`);
  if (hasDisplay()) openBrowser(url);

  // Nothing else keeps the event loop alive while waiting for the signal.
  const keepAlive = setInterval(() => {}, 1 << 30);
  await stopRequested;
  clearInterval(keepAlive);
  const stopped = await runBerth(['stop']);
  process.exit(stopped.code);
}

hostSetup();
const binary = electronBinary();
if (binary && hasDisplay()) {
  launchElectron(binary);
} else {
  await browserMode(
    binary
      ? 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)'
      : "Electron's binary is not on this machine (npm installs the package, but the binary is a separate download that failed or is blocked)",
  );
}
