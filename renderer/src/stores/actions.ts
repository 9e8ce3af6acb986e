import { create } from 'zustand';
import type { ContainerAction } from '../../../electron/contract/model';
import type { BerthError } from '../../../electron/base/errors';
import { agent } from '../connection/connection';

export interface ActionError {
  action: ContainerAction;
  message: string;
  hint?: string;
}

export interface ActionsState {
  /** Container id -> the action running on it. */
  pending: Record<string, ContainerAction>;
  /** Container id -> why the last action on it failed (until dismissed or a new action starts). */
  errors: Record<string, ActionError>;
}

export const useActions = create<ActionsState>(() => ({ pending: {}, errors: {} }));

const CONCURRENCY = 4;

/** Runs an action on many containers, a few at a time; each row shows its own progress and its own error. */
export async function runContainerAction(ids: string[], action: ContainerAction, opts: { force?: boolean; volumes?: boolean } = {}): Promise<number> {
  useActions.setState((s) => {
    const pending = { ...s.pending };
    const errors = { ...s.errors };
    for (const id of ids) {
      pending[id] = action;
      delete errors[id];
    }
    return { pending, errors };
  });
  let failures = 0;
  const queue = [...ids];
  const worker = async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const target = id;
      try {
        await agent().call('containers.action', { id: target, action, ...opts });
      } catch (err) {
        failures += 1;
        const e = err as BerthError;
        useActions.setState((s) => ({ errors: { ...s.errors, [target]: { action, message: e.message, hint: e.hint } } }));
      } finally {
        useActions.setState((s) => {
          const pending = { ...s.pending };
          delete pending[target];
          return { pending };
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, ids.length) }, worker));
  return failures;
}

export function dismissError(id: string): void {
  useActions.setState((s) => {
    const errors = { ...s.errors };
    delete errors[id];
    return { errors };
  });
}
