import { berthPaths, dockerContextName, type BerthPaths } from '../base/paths';
import { connectAgent, ensureAgent, type AgentClient } from '../agent/client';
import { formatPorts } from './format-ports';
import { BerthError } from '../base/errors';
import { readConsoleTail } from '../vm/console-log';
import { HypervisorPidfile } from '../vm/pidfile';
import type { VmDetail } from '../contract/vm';
import path from 'node:path';
import { vmCommands } from './vm-commands';
import { doctorCommand } from '../host/doctor-command';

/** A CLI command: takes its arguments, returns the process exit code. */
export type Command = (args: string[]) => Promise<number>;

function paths(): BerthPaths {
  return berthPaths();
}

async function tryConnect(p: BerthPaths): Promise<AgentClient | null> {
  try {
    return await connectAgent(p);
  } catch {
    return null;
  }
}

function printVmError(d: VmDetail): void {
  if (d.vm.state === 'error' && d.vm.lastConsoleLines.length) {
    console.error('  last console lines:');
    for (const l of d.vm.lastConsoleLines.slice(-10)) console.error(`    ${l}`);
  }
}

/** Boots (starting the agent if needed), prints each stage, returns once the engine answers. */
const start: Command = async () => {
  const p = paths();
  const client = await ensureAgent(p);
  const t0 = Date.now();
  let last = '';
  try {
    await client.open('vm.start', {}, {
      onItem: (item) => {
        const line = `[${String(item.percent).padStart(3)}%] ${item.stage}${item.detail ? `: ${item.detail}` : ''}`;
        if (line !== last) console.log(`${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s ${line}`);
        last = line;
      },
    }).done;
  } catch (err) {
    const d = await client.call('vm.status', {}).catch(() => null);
    if (d) printVmError(d);
    client.close();
    throw err;
  }
  const d = await client.call('vm.status', {});
  client.close();
  const accel = d.vm.state === 'running' ? d.vm.accel : '?';
  console.log(`Engine ready: Docker ${d.engine.version ?? '?'} (API ${d.engine.apiVersion ?? '?'}), VM on ${accel}, in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  if (d.vm.state === 'running' && d.vm.accelNote) console.log(`  note: ${d.vm.accelNote}`);
  if (d.dockerSocket) {
    console.log(`  docker CLI: export DOCKER_HOST=unix://${d.dockerSocket}   (or: docker --context ${dockerContextName(paths().home)} ...)`);
  }
  return 0;
};

/** The VM first (clean power-down, containers stopped by dockerd), then the agent. */
const stop: Command = async () => {
  const client = await tryConnect(paths());
  if (!client) {
    console.log('Berth is not running.');
    return 0;
  }
  const t0 = Date.now();
  const before = await client.call('vm.status', {});
  if (before.vm.state !== 'stopped') {
    console.error('Stopping the VM…');
    await client.call('vm.stop', {});
    console.error(`VM stopped in ${((Date.now() - t0) / 1000).toFixed(1)} s.`);
  }
  const closed = new Promise<void>((resolve) => client.onClose(() => resolve()));
  await client.call('agent.shutdown', {});
  await closed;
  console.log('Berth stopped.');
  return 0;
};

const status: Command = async (args) => {
  const p = paths();
  const client = await tryConnect(p);
  if (!client) {
    console.log('agent   not running (`berth start` starts it)');
    // A VM can outlive its agent (kill -9, a crash): say so, and that the next start takes it over.
    const leftover = await new HypervisorPidfile(p.vm).findOrphan();
    if (leftover) console.log(`vm      still running without an agent (QEMU pid ${leftover.pid}, since ${leftover.startedAt}): \`berth start\` reconnects to it`);
    return 3;
  }
  const [info, d, ports, shares] = await Promise.all([
    client.call('agent.info', {}),
    client.call('vm.status', {}),
    client.call('ports.list', {}).catch(() => []),
    client.call('shares.list', {}).catch(() => null),
  ]);
  client.close();
  if (args.includes('--json')) {
    console.log(JSON.stringify({ agent: info, ...d, ports, shares: shares?.active ?? null }, null, 2));
    return 0;
  }
  const vm = d.vm;
  console.log(`agent   running (pid ${info.pid}, version ${info.version})`);
  let vmLine: string = vm.state;
  if (vm.state === 'starting') vmLine += ` (${vm.stage}, ${vm.percent}%)`;
  if (vm.state === 'running') vmLine += ` (${vm.accel}, pid ${vm.pid}, ssh 127.0.0.1:${vm.sshPort}, booted in ${(vm.bootMs / 1000).toFixed(1)} s)`;
  if (vm.state === 'running' && d.saver?.state === 'paused') vmLine = `paused (Resource Saver, since ${d.saver.pausedAt}; the next request wakes it) ${vmLine}`;
  if (vm.state === 'error') vmLine += `: ${vm.reason}${vm.restartInMs ? ` (restarting in ${Math.round(vm.restartInMs / 1000)} s)` : ''}`;
  console.log(`vm      ${vmLine}`);
  if (vm.state === 'error' && vm.hint) console.log(`        ${vm.hint}`);
  console.log(`tunnel  ${d.tunnel}`);
  console.log(`engine  ${d.engine.ready ? `ready (Docker ${d.engine.version}, API ${d.engine.apiVersion})` : 'not ready'}`);
  if (d.problem) console.log(`problem ${d.problem.message}\n        ${d.problem.hint ?? ''}`);
  if (d.disk) {
    const pct = Math.round((d.disk.usedBytes / d.disk.sizeBytes) * 100);
    console.log(`disk    ${(d.disk.usedBytes / 2 ** 30).toFixed(1)} of ${(d.disk.sizeBytes / 2 ** 30).toFixed(1)} GiB used (${pct}%)${d.disk.level === 'ok' ? '' : `: ${d.disk.level === 'full' ? 'FULL' : 'nearly full'}`}`);
    if (d.disk.hint) console.log(`        ${d.disk.hint}`);
  }
  if (d.dockerSocket) console.log(`socket  unix://${d.dockerSocket}`);
  for (const s of shares?.active ?? []) console.log(`share   ${s.path} (${s.transport ?? '9p'})`);
  if (d.engine.ready) for (const line of formatPorts(ports)) console.log(line);
  if (info.uiUrl) console.log(`ui      ${info.uiUrl}`);
  return vm.state === 'error' ? 1 : 0;
};

/** Works without an agent too: the console log is a file, which is what a post-mortem needs. */
const logs: Command = async (args) => {
  const nIdx = args.findIndex((a) => a === '-n' || a === '--lines');
  const n = nIdx >= 0 ? Number(args[nIdx + 1]) : 200;
  if (!Number.isInteger(n) || n < 1) throw new BerthError('bad-request', `-n must be a positive number`, 'e.g. `berth logs -n 50`');
  const p = paths();
  const client = await tryConnect(p);
  const lines = client
    ? (await client.call('vm.logs', { lines: n })).lines
    : readConsoleTail(path.join(p.vm, 'console.log'), n);
  for (const l of lines) console.log(l);
  if (!args.includes('-f') && !args.includes('--follow')) {
    client?.close();
    return 0;
  }
  if (!client) throw new BerthError('unavailable', 'The Berth agent is not running: nothing to follow', 'Start it with `berth start`.');
  // Until Ctrl-C (or the agent going away).
  const stream = client.open('vm.console', {}, {
    onItem: (b) => {
      if (b.dropped) console.log(`[berth: ${b.dropped} console lines dropped]`);
      for (const l of b.lines) console.log(l);
    },
  });
  await stream.done.catch(() => undefined);
  client.close();
  return 0;
};

const resetHostKey: Command = async () => {
  const client = await connectAgent(paths());
  await client.call('vm.resetHostKey', {});
  client.close();
  console.log('The pinned guest host key was removed; the next key the VM presents will be pinned.');
  return 0;
};

function parseValue(v: string): unknown {
  if (v === 'true' || v === 'false') return v === 'true';
  if (/^-?\d+(\.\d+)?$/.test(v)) return Number(v);
  // Lists (shares=["/Users/me","/srv"]) and objects (engineConfig={"debug": true}) as JSON.
  if (v.startsWith('[') || v.startsWith('{')) {
    try {
      return JSON.parse(v) as unknown;
    } catch {
      return v;
    }
  }
  return v;
}

/** `berth settings` prints them; `berth settings set cpus=2 memoryMiB=4096` changes them. */
const settings: Command = async (args) => {
  const client = await ensureAgent(paths());
  try {
    if (args[0] === 'set') {
      const patch: Record<string, unknown> = {};
      for (const kv of args.slice(1)) {
        const eq = kv.indexOf('=');
        if (eq < 1) throw new BerthError('bad-request', `"${kv}" is not key=value`, 'e.g. `berth settings set cpus=2`');
        patch[kv.slice(0, eq)] = parseValue(kv.slice(eq + 1));
      }
      const res = await client.call('settings.update', { patch });
      console.log(JSON.stringify(res.settings, null, 2));
      if (res.restartRequired.length) console.log(`${res.restartRequired.join(', ')}: applies when the VM restarts (berth stop && berth start).`);
      return 0;
    }
    const view = await client.call('settings.get', {});
    console.log(JSON.stringify(view.settings, null, 2));
    console.log(`(${view.file}; host: ${view.host.cpus} CPUs, ${view.host.memoryMiB} MiB)`);
    return 0;
  } finally {
    client.close();
  }
};

export const commands: Record<string, Command> = {
  doctor: doctorCommand,
  start,
  stop,
  status,
  logs,
  settings,
  'reset-host-key': resetHostKey,
  ...vmCommands,
};
