import type { BerthContract, BerthStatus } from '../shared/contract';
import type { Router } from '../protocol/server';
import type { BerthPaths } from './paths';
import type { Observable } from './observable';
import type { Logger } from './logger';

/** What every service of the agent gets: where files live, the live status, logging, and shutdown hooks. */
export interface AgentContext {
  paths: BerthPaths;
  status: Observable<BerthStatus>;
  log: Logger;
  /** Hooks run in reverse order of registration when the agent stops (the VM is stopped cleanly this way). */
  onShutdown(hook: () => Promise<void> | void): void;
  /** Asks the agent to stop (after the current call has answered). */
  requestShutdown(): void;
  /** Set once the UI server listens. */
  uiUrl(): string | null;
}

export type BerthRouter = Router<BerthContract>;
