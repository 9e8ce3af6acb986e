import type { ReactNode } from 'react';
import { useConnection } from '../connection/connection';
import { EmptyState } from './EmptyState';

/** Explains an empty list that is empty because the agent or the engine is away, not because nothing exists. */
export function EngineGate({ loaded, ready, what, children }: { loaded: boolean; ready: boolean; what: string; children: ReactNode }) {
  const open = useConnection((c) => c.state === 'open');
  if (!open) return <EmptyState title="Connecting to the Berth agent…">Your {what} show up here once it answers.</EmptyState>;
  if (!loaded) return <EmptyState title={`Loading ${what}…`} />;
  if (!ready) {
    return (
      <EmptyState title="The engine is not running">
        Your {what} will be listed here once the VM is up. Start it with <strong>Start VM</strong> in the status bar or <code>berth start</code>.
      </EmptyState>
    );
  }
  return <>{children}</>;
}
