import { BERTH_VERSION } from '../../base/version';
import { pushLatest } from '../../protocol/pump';
import type { AgentContext, BerthRouter } from '../context';

const startedAt = Date.now();

export function registerAgentHandlers(router: BerthRouter, ctx: AgentContext): void {
  router
    .call('agent.info', async () => ({
      version: BERTH_VERSION,
      pid: process.pid,
      startedAt,
      home: ctx.paths.home,
      platform: process.platform,
      arch: process.arch,
      uiUrl: ctx.uiUrl(),
    }))
    .call('agent.shutdown', async () => {
      ctx.requestShutdown();
      return null;
    })
    .call('status.get', async () => ctx.status.value)
    .stream('status.watch', (_params, sink) => pushLatest(ctx.status, sink));
}
