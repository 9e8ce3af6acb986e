import { once } from 'node:events';
import type { AgentContext, BerthRouter } from '../context';
import type { Engine } from '../../engine/engine';
import { streamComposeLogs } from '../../compose/compose-logs';
import { runComposeAction } from '../../compose/compose-run';
import { checkComposeFile, readProject } from '../../compose/project';

/**
 * Why the engine went away since `boot` (null: the same boot, still connected). The SSH connection drops a moment
 * before the agent hears that QEMU exited, so a dropped connection waits (up to 1 s) for the VM's next status,
 * which names the reason.
 */
async function engineGoneReason(engine: Engine, boot: Engine['vm']['info']): Promise<string | null> {
  const connected = () => engine.status().tunnel === 'connected' && engine.status().engine.ready;
  if (engine.vm.info === boot && connected()) return null;
  if (engine.vm.status().state === 'running') await once(engine.vm, 'status', { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
  const vm = engine.vm.status();
  if (vm.state === 'error') return vm.reason.replace(/^The VM/, 'the VM');
  if (engine.vm.info !== boot) return 'the VM stopped or restarted while it ran';
  return connected() ? null : 'the connection to the VM dropped while it ran';
}

/** compose.*: the real `docker compose` on the host, against Berth's docker socket, for files in shared folders. */
export function registerComposeHandlers(router: BerthRouter, ctx: AgentContext, engine: Engine): void {
  const target = (file: string) => ({
    file: checkComposeFile(file, engine.vm.info?.shares.map((s) => s.path) ?? null),
    dockerSocket: ctx.paths.dockerSocket,
  });
  router
    .call('compose.project', async ({ file }) => readProject(target(file)))
    .stream('compose.run', async ({ file, action }, sink) => {
      const boot = engine.vm.info;
      return runComposeAction(target(file), action, sink, () => engineGoneReason(engine, boot));
    })
    .stream('compose.logs', async ({ file, follow, tail }, sink) =>
      streamComposeLogs(target(file), { follow, tail }, sink),
    );
}
