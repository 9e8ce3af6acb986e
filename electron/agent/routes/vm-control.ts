import fs from 'node:fs/promises';
import { BERTH_VERSION } from '../../base/version';
import { BerthError } from '../../base/errors';
import type { Engine } from '../../engine/engine';
import { dataDiskSize, prune, prunePreview, systemDf, usageByCategory } from '../../engine/disk-usage';
import { hostChecks } from '../../host/check';
import { defaultPurposes } from '../../host/prerequisites';
import { growGuestFilesystem } from '../../engine/grow-fs';
import { DebouncedTrim, freesDiskSpace, trimGuest } from '../../engine/trim';
import type { EngineModel } from '../../model/engine-model';
import { patchProblems } from '../../settings/patch-check';
import { buildDiagnostics } from '../../vm/diagnostics';
import { factoryReset, factoryResetPlan } from '../../vm/factory-reset';
import type { AgentContext, BerthRouter } from '../context';
import { dataDiskGiB, streamBoot } from './vm-shared';

export interface VmControlOptions {
  /** Strings that must never leave in a diagnostics bundle (registry passwords). */
  secrets?: () => Promise<string[]>;
}

/** vm.restart, settings.validate, factory reset, diagnostics and the disk.* calls. */
export function registerVmControlHandlers(router: BerthRouter, ctx: AgentContext, engine: Engine, model: EngineModel, options: VmControlOptions = {}): void {
  const ready = () => {
    if (!engine.status().engine.ready) throw new BerthError('unavailable', 'The engine is not running', 'Start it with `berth start` (or the status bar).');
    return engine.docker;
  };
  const trim = async () => trimGuest((c) => engine.tunnel.exec(c));
  // Removed images, containers and volumes give their space back to the host without anyone asking.
  const autoTrim = new DebouncedTrim(() => (engine.status().engine.ready ? trim() : Promise.resolve()), 30_000, (m) => ctx.log.warn(m));
  const onEvent = (ev: { Type?: string; Action?: string }) => freesDiskSpace(ev) && autoTrim.poke();
  model.eventListeners.add(onEvent);
  ctx.onShutdown(() => {
    model.eventListeners.delete(onEvent);
    autoTrim.dispose();
  });

  // Once per boot: a data disk grown in the settings gets its filesystem grown too.
  let grownForBoot: string | null = null;
  engine.on('status', (d) => {
    if (!d.engine.ready || d.vm.state !== 'running' || grownForBoot === d.vm.startedAt) return;
    grownForBoot = d.vm.startedAt;
    growGuestFilesystem((c) => engine.tunnel.exec(c)).then(
      (r) => r.grown && ctx.log.info(`data disk filesystem grown: ${r.output.split('\n').at(-1)}`),
      (err: Error) => ctx.log.warn(`growing the data disk's filesystem failed: ${err.message}`),
    );
  });

  router
    .stream('vm.restart', (_params, sink) => streamBoot(sink, (push) => engine.restart(push)))
    .call('settings.validate', async ({ patch }) => ({ problems: await patchProblems(engine.settings, patch, dataDiskGiB(engine)) }))
    .call('vm.factoryResetPlan', () => factoryResetPlan(ctx.paths))
    .call('vm.factoryReset', async () => {
      const r = await factoryReset(ctx.paths, engine.vm.status());
      ctx.log.warn(`factory reset: removed ${r.removed.join(', ') || 'nothing'}`);
      return r;
    })
    .call('vm.diagnostics', async () => {
      const generated: Record<string, string> = {};
      const detail = engine.status();
      generated['status.json'] = JSON.stringify(detail, null, 2);
      generated['versions.json'] = JSON.stringify(
        { berth: BERTH_VERSION, node: process.version, platform: process.platform, arch: process.arch, engine: detail.engine },
        null,
        2,
      );
      generated['host-checks.json'] = JSON.stringify(hostChecks(defaultPurposes(process.platform)), null, 2);
      if (detail.engine.ready) {
        generated['docker-info.json'] = await engine.docker.info().then((i) => JSON.stringify(i, null, 2), (e: Error) => `docker info failed: ${e.message}`);
        generated['dockerd.log'] = await engine.tunnel
          .exec('tail -n 2000 /var/log/berth/dockerd.log')
          .then((r) => r.stdout || r.stderr, (e: Error) => `reading dockerd's log failed: ${e.message}`);
      }
      const secrets = [...(await options.secrets?.().catch(() => []) ?? [])];
      const token = await fs.readFile(ctx.paths.agentInfo, 'utf8').then((t) => (JSON.parse(t) as { token?: string }).token, () => undefined);
      if (token) secrets.push(token);
      return buildDiagnostics({ paths: ctx.paths, generated, secrets });
    })
    .call('disk.usage', async () => ({
      categories: engine.status().engine.ready ? usageByCategory(await systemDf(engine.docker)) : null,
      dataDisk: await dataDiskSize(engine.vm.dataDisk),
    }))
    .call('disk.prunePreview', async ({ category, all }) => prunePreview(await systemDf(ready()), category, all))
    .call('disk.prune', async ({ category, all }) => {
      const r = await prune(ready(), category, all);
      ctx.log.info(`pruned ${category}: ${r.removed.length} removed, ${r.reclaimedBytes} bytes`);
      return r;
    })
    .call('disk.reclaim', async () => {
      ready();
      const before = await dataDiskSize(engine.vm.dataDisk);
      const trimmedBytes = await trim();
      return { trimmedBytes, before, after: await dataDiskSize(engine.vm.dataDisk) };
    });
}
