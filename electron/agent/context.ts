import type { BerthContract, BerthStatus } from '../contract/contract';
import type { Router } from '../protocol/server';
import type { BerthPaths } from '../base/paths';
import type { Observable } from '../base/observable';
import type { Logger } from '../base/logger';

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
  /** A `berth start` launched this agent: boot at once, before the client's call arrives. */
  bootAtLaunch?: boolean;
}

export type BerthRouter = Router<BerthContract>;
