import type { AgentContext, BerthRouter } from '../context';
import { pushLatest } from '../../protocol/pump';
import type { Engine } from '../../engine/engine';
import { PortService } from '../../ports/service';

/** ports.*: the forward table, live. The service follows the engine on its own from here on. */
export function registerPortHandlers(router: BerthRouter, ctx: AgentContext, engine: Engine): PortService {
  const service = new PortService(engine, {
    exposeOnAllInterfaces: async () => (await engine.settings.get()).exposePortsOnAllInterfaces,
    // While Resource Saver has the VM paused its network takes no forwards: they go over SSH, whose
    // connections wake the VM (repath below moves them both ways).
    hypervisor: {
      available: () => engine.vm.hostForwards.available() && !engine.saver.paused,
      add: (rule) => engine.vm.hostForwards.add(rule),
      remove: (rule) => engine.vm.hostForwards.remove(rule),
      sweep: () => engine.vm.hostForwards.sweep(),
    },
    log: ctx.log,
  });
  // Turning exposePortsOnAllInterfaces on or off moves listeners now, not at the next container event.
  engine.settings.on('changed', () => void service.reconcile());
  let paused = engine.saver.paused;
  engine.saver.on('state', () => {
    if (engine.saver.paused === paused) return;
    paused = engine.saver.paused;
    void service.repath();
  });
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
