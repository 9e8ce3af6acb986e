import { statSync } from 'node:fs';
import type { BerthRouter } from '../context';
import type { Engine } from '../../engine/engine';
import { bindSource, explainBindMount } from '../../shares/bind-mounts';
import { resolveShares } from '../../shares/shares';
import type { ShareCheck, SharesView } from '../../contract/shares';

const isDirectory = (p: string) => statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;

async function view(engine: Engine): Promise<SharesView> {
  const settings = await engine.settings.get();
  const { shares: configured, skipped } = resolveShares(settings.shares, isDirectory);
  const active = engine.vm.info?.shares.map(({ tag, path, transport }) => ({ tag, path, transport: transport ?? '9p' })) ?? null;
  const key = (l: { path: string }[]) => JSON.stringify(l.map((s) => s.path));
  return { active, configured, skipped, restartRequired: active !== null && key(active) !== key(configured) };
}

/** Checks a bind mount against the folders the VM actually mounted (or will mount, when none runs). */
export async function checkBindMount(engine: Engine, input: string): Promise<ShareCheck> {
  const looksLikeSpec = input.includes(':') || /(^|,)(source|src|type)=/.test(input);
  const hostPath = looksLikeSpec ? bindSource(input) : input.trim();
  if (!hostPath) return { hostPath: null, ok: true, message: null };
  const v = await view(engine);
  const message = explainBindMount(hostPath, v.active ?? v.configured);
  if (message && v.active && !explainBindMount(hostPath, v.configured)) {
    return { hostPath, ok: false, message: `${hostPath} is shared in the settings, but the VM has not been restarted since; restart it to mount the folder` };
  }
  return { hostPath, ok: message === null, message };
}

export function registerShareHandlers(router: BerthRouter, engine: Engine): void {
  router
    .call('shares.list', async () => view(engine))
    .call('shares.check', async ({ hostPath }) => checkBindMount(engine, hostPath));
}
