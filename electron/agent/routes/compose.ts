import type { AgentContext, BerthRouter } from '../context';
import type { Engine } from '../../engine/engine';
import { streamComposeLogs } from '../../compose/compose-logs';
import { runComposeAction } from '../../compose/compose-run';
import { checkComposeFile, readProject } from '../../compose/project';

/** compose.*: the real `docker compose` on the host, against Berth's docker socket, for files in shared folders. */
export function registerComposeHandlers(router: BerthRouter, ctx: AgentContext, engine: Engine): void {
  const target = (file: string) => ({
    file: checkComposeFile(file, engine.vm.info?.shares.map((s) => s.path) ?? null),
    dockerSocket: ctx.paths.dockerSocket,
  });
  router
    .call('compose.project', async ({ file }) => readProject(target(file)))
    .stream('compose.run', async ({ file, action }, sink) => runComposeAction(target(file), action, sink))
    .stream('compose.logs', async ({ file, follow, tail }, sink) =>
      streamComposeLogs(target(file), { follow, tail }, sink),
    );
}
