import type { AgentContext, BerthRouter } from '../agent/context';
import { pushLatest } from '../agent/observable';
import type { Engine } from '../engine/engine';
import { PortService } from './service';

/** ports.*: the forward table, live. The service follows the engine on its own from here on. */
export function registerPortHandlers(router: BerthRouter, ctx: AgentContext, engine: Engine): PortService {
  const service = new PortService(engine, {
    exposeOnAllInterfaces: async () => (await engine.settings.get()).exposePortsOnAllInterfaces,
    log: ctx.log,
  });
  // Turning exposePortsOnAllInterfaces on or off moves listeners now, not at the next container event.
  engine.settings.on('changed', () => void service.reconcile());
  service.table.subscribe((t) => {
    for (const f of t) if (f.state === 'failed') ctx.log.warn(`port ${f.hostIp}:${f.hostPort} (${f.containerName}) not forwarded: ${f.error}`);
  });
  ctx.onShutdown(() => service.stop());
  router
    .call('ports.list', async () => service.table.value)
    .stream('ports.watch', (_params, sink) => pushLatest(service.table, sink));
  return service;
}
