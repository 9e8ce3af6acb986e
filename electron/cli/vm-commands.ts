import fs from 'node:fs';
import path from 'node:path';
import { berthPaths } from '../base/paths';
import { BerthError } from '../base/errors';
import { connectAgent, ensureAgent, type AgentClient } from '../agent/client';
import { PRUNE_CATEGORIES, type DataDiskSize, type PruneCategory } from '../contract/vm-entries';
/** As in commands.ts: takes the arguments, returns the exit code (kept here so the files import one way). */
type Command = (args: string[]) => Promise<number>;

async function withClient<T>(ensure: boolean, work: (c: AgentClient) => Promise<T>): Promise<T> {
  const client = ensure ? await ensureAgent(berthPaths()) : await connectAgent(berthPaths());
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

function diskLine(d: DataDiskSize | null): string {
  return d ? `data disk  ${formatBytes(d.allocatedBytes)} used on the host of ${formatBytes(d.virtualBytes)} (${d.file})` : 'data disk  not created yet';
}

/** Stops the VM cleanly and boots it again, printing the boot's stages as `berth start` does. */
const restart: Command = () =>
  withClient(true, async (client) => {
    const t0 = Date.now();
    await client.open('vm.restart', {}, {
      onItem: (p) => console.log(`${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s [${String(p.percent).padStart(3)}%] ${p.stage}${p.detail ? `: ${p.detail}` : ''}`),
    }).done;
    return 0;
  });

/** Deletes the data disk, settings and logins; refuses without --yes and says what it would delete. */
const reset: Command = (args) =>
  withClient(true, async (client) => {
    const plan = await client.call('vm.factoryResetPlan', {});
    const present = plan.paths.filter((p) => p.exists);
    if (!args.includes('--yes')) {
      console.error('A factory reset deletes:');
      for (const p of plan.paths) console.error(`  ${p.exists ? '' : '(absent) '}${p.path}: ${p.what}`);
      throw new BerthError('bad-request', 'Refusing without --yes', 'Run `berth stop` (the VM must be stopped), then `berth reset --yes`.');
    }
    const status = await client.call('vm.status', {});
    if (status.vm.state !== 'stopped' && status.vm.state !== 'error') {
      console.error('Stopping the VM first…');
      await client.call('vm.stop', {});
    }
    const r = await client.call('vm.factoryReset', {});
    for (const p of r.removed) console.log(`removed ${p}`);
    if (!present.length) console.log('Nothing to remove: Berth was already at its defaults.');
    console.log('Berth is back to factory defaults; `berth start` makes a new, empty data disk.');
    return 0;
  });

/** Writes the diagnostics bundle (no keys, token or passwords) and prints its path. */
const diagnose: Command = (args) =>
  withClient(true, async (client) => {
    const outIdx = args.indexOf('--out');
    const bundle = await client.call('vm.diagnostics', {});
    const out = path.resolve(outIdx >= 0 && args[outIdx + 1] ? args[outIdx + 1] : bundle.fileName);
    fs.writeFileSync(out, Buffer.from(bundle.base64, 'base64'), { mode: 0o600 });
    console.log(`${out} (${formatBytes(bundle.bytes)}): ${bundle.files.join(', ')}`);
    return 0;
  });

const df: Command = (args) =>
  withClient(true, async (client) => {
    const u = await client.call('disk.usage', {});
    if (args.includes('--json')) {
      console.log(JSON.stringify(u, null, 2));
      return 0;
    }
    if (u.categories) {
      console.log(`${'TYPE'.padEnd(12)}${'COUNT'.padStart(6)}${'SIZE'.padStart(12)}${'RECLAIMABLE'.padStart(14)}`);
      for (const c of u.categories) {
        console.log(`${c.category.padEnd(12)}${String(c.count).padStart(6)}${formatBytes(c.sizeBytes).padStart(12)}${formatBytes(c.reclaimableBytes).padStart(14)}`);
      }
    } else {
      console.log('The engine is not running: start it for usage by category.');
    }
    console.log(diskLine(u.dataDisk));
    return 0;
  });

/** `berth prune images [--all] [--yes]`: shows exactly what would go; removes it only with --yes. */
const prune: Command = (args) =>
  withClient(true, async (client) => {
    const category = args[0] as PruneCategory;
    if (!PRUNE_CATEGORIES.includes(category)) {
      throw new BerthError('bad-request', `Prune what? "${args[0] ?? ''}" is not one of ${PRUNE_CATEGORIES.join(', ')}`, 'e.g. `berth prune volumes`');
    }
    const all = args.includes('--all');
    const preview = await client.call('disk.prunePreview', { category, all });
    if (!preview.items.length) {
      console.log(`Nothing to prune in ${category}.`);
      return 0;
    }
    for (const i of preview.items) console.log(`  ${i.name}  ${formatBytes(i.sizeBytes)}`);
    if (!args.includes('--yes')) {
      console.log(`Would remove ${preview.items.length} ${category} (${formatBytes(preview.reclaimableBytes)}); run again with --yes to remove them.`);
      return 0;
    }
    const r = await client.call('disk.prune', { category, all });
    console.log(`Removed ${r.removed.length} ${category}, ${formatBytes(r.reclaimedBytes)} reclaimed.`);
    return 0;
  });

/** Gives space freed in the VM back to the host now (fstrim in the guest). */
const reclaim: Command = () =>
  withClient(false, async (client) => {
    const r = await client.call('disk.reclaim', {});
    console.log(`Trimmed ${formatBytes(r.trimmedBytes)} in the VM.`);
    console.log(`before: ${diskLine(r.before)}`);
    console.log(`after:  ${diskLine(r.after)}`);
    return 0;
  });

/** `berth saver [status|pause|wake]`: Resource Saver by hand (it also pauses an idle VM by itself). */
const saver: Command = (args) =>
  withClient(false, async (client) => {
    const what = args[0] ?? 'status';
    if (!['status', 'pause', 'wake'].includes(what)) {
      throw new BerthError('bad-request', `Unknown saver command "${what}"`, 'Use `berth saver status`, `berth saver pause` or `berth saver wake`.');
    }
    const d = what === 'pause' ? await client.call('vm.pause', {}) : what === 'wake' ? await client.call('vm.wake', {}) : await client.call('vm.status', {});
    const s = d.saver;
    if (!s) return 1;
    const idle = s.idleMinutes > 0 ? `pauses after ${s.idleMinutes} min with no container running` : 'idle pause off (resourceSaverMinutes=0)';
    console.log(`resource saver  ${s.state === 'paused' ? `VM paused since ${s.pausedAt}` : s.state}; ${idle}; ${s.wakes} wake(s)${s.lastWakeMs !== undefined ? `, last in ${s.lastWakeMs} ms` : ''}`);
    return 0;
  });

export const vmCommands: Record<string, Command> = { restart, reset, diagnose, df, prune, reclaim, saver };
