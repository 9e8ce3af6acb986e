import type { AgentContext, BerthRouter } from '../context';
import { pushLatest } from '../../protocol/pump';
import type { Engine } from '../../engine/engine';
import { PortService } from '../../ports/service';

/** ports.*: the forward table, live. The service follows the engine on its own from here on. */
export function registerPortHandlers(router: BerthRouter, ctx: AgentContext, engine: Engine): PortService {
  const service = new PortService(engine, {
    exposeOnAllInterfaces: async () => (await engine.settings.get()).exposePortsOnAllInterfaces,
    hypervisor: engine.vm.hostForwards,
    log: ctx.log,
  });
  // Turning exposePortsOnAllInterfaces on or off moves listeners now, not at the next container event.
  engine.settings.on('changed', () => void service.reconcile());
  // Once per failure, not on every later table change.
  let failed = new Set<string>();
  service.table.subscribe((t) => {
    const now = new Set<string>();
    for (const f of t) {
      if (f.state !== 'failed') continue;
      const key = `${f.protocol}/${f.hostIp}/${f.hostPort}/${f.containerId}`;
      now.add(key);
      if (!failed.has(key)) ctx.log.warn(`port ${f.hostIp}:${f.hostPort} (${f.containerName}) not forwarded: ${f.error}`);
    }
    failed = now;
  });
  ctx.onShutdown(() => service.stop());
  router
    .call('ports.list', async () => service.table.value)
    .call('ports.retry', async () => {
      await service.retryFailed();
      return service.table.value;
    })
    .stream('ports.watch', (_params, sink) => pushLatest(service.table, sink));
  return service;
}
