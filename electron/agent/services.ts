import type { AgentContext, BerthRouter } from './context';
import { registerAgentHandlers } from './agent-handlers';
import { registerHubHandlers } from '../hub/handlers';
import { registerEngineHandlers } from '../engine/handlers';
import { registerPortHandlers } from '../ports/handlers';
import { registerShareHandlers } from '../shares/handlers';
import { registerModelHandlers } from '../model/handlers';

/**
 * The composition point: every domain registers its calls and streams here, in dependency order.
 * Domains own their state and subscribe to each other through the context, never through globals.
 */
export async function registerServices(router: BerthRouter, ctx: AgentContext): Promise<void> {
  registerAgentHandlers(router, ctx);
  registerHubHandlers(router, ctx);
  const engine = registerEngineHandlers(router, ctx);
  registerModelHandlers(router, ctx, engine);
  registerPortHandlers(router, ctx, engine);
  registerShareHandlers(router, engine);
}
