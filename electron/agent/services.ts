import type { AgentContext, BerthRouter } from './context';
import { registerAgentHandlers } from './routes/agent';
import { registerHubHandlers } from './routes/hub';
import { registerEngineHandlers } from './routes/vm';
import { registerPortHandlers } from './routes/ports';
import { registerShareHandlers } from './routes/shares';
import { registerHostHandlers } from './routes/host';
import { registerModelHandlers } from './routes/model';
import { registerVmControlHandlers } from './routes/vm-control';
import { registerComposeHandlers } from './routes/compose';
import { engineLoginCheck } from '../credentials/engine-verify';
import { registryForImage } from '../credentials/registry';
import type { Engine } from '../engine/engine';

/**
 * The composition point: every domain registers its calls and streams here, in dependency order.
 * Domains own their state and subscribe to each other through the context, never through globals.
 */
export async function registerServices(router: BerthRouter, ctx: AgentContext): Promise<void> {
  registerAgentHandlers(router, ctx);
  const started: { engine?: Engine } = {};
  const hub = registerHubHandlers(router, ctx, {
    // As `docker login` does: the engine checks the login against the registry. With the VM stopped there is
    // no engine to ask, and the login is stored unchecked rather than refused.
    verifyLogin: async (auth) => {
      const engine = started.engine;
      if (engine?.status().engine.ready) await engineLoginCheck(engine.docker)(auth);
    },
  });
  const engine = (started.engine = registerEngineHandlers(router, ctx));
  engine.vm.on('notice', (line) => ctx.log.info(`vm: ${line}`));
  /** Every stored login, decrypted (one that cannot be read is left out). */
  const storedAuths = async () => {
    const creds = hub.credentials();
    const logins = await creds.list();
    const auths = await Promise.all(logins.map((l) => creds.authConfig(l.registry).catch(() => null)));
    return auths.flatMap((a) => (a ? [a] : []));
  };
  const model = registerModelHandlers(router, ctx, engine, {
    // Pulls carry the user's login for the image's registry, as `docker pull` does after `docker login`.
    registryAuth: (ref) => hub.credentials().authConfig(registryForImage(ref)),
    // Builds get them all (X-Registry-Config): the engine picks the one for each base image's registry.
    registryAuths: storedAuths,
    sharedFolders: () => engine.vm.info?.shares.map((s) => s.path) ?? null,
    guestExec: (command) => engine.tunnel.exec(command),
  });
  // Resource Saver: a running container keeps the VM awake.
  engine.setWorkload(() => !model.containers.ready || model.containers.values().some((c) => c.state === 'running' || c.state === 'restarting'));
  registerPortHandlers(router, ctx, engine);
  registerShareHandlers(router, engine);
  registerComposeHandlers(router, ctx, engine);
  registerHostHandlers(router);
  registerVmControlHandlers(router, ctx, engine, model, {
    secrets: async () => (await storedAuths()).flatMap((a) => (a.password ? [a.password] : [])),
  });
}
