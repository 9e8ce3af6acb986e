import type { ReactNode } from 'react';
import { useConnection } from '../connection/connection';
import { useStatus } from '../stores/status';
import { EmptyState } from './EmptyState';

/** The boot as the CLI prints it: stage, percent and detail from status.vm while it starts. */
function BootState({ what, stage, percent, detail }: { what: string; stage: string; percent: number; detail?: string }) {
  return (
    <EmptyState title="Starting the engine…">
      <span className="boot-stage">
        {stage} — {percent}%{detail ? ` (${detail})` : ''}
      </span>
      <br />
      <progress max={100} value={percent} aria-label="Engine start progress" />
      <br />
      Your {what} show up here once it is ready.
    </EmptyState>
  );
}

/** Explains an empty list that is empty because the agent or the engine is away, not because nothing exists. */
export function EngineGate({ loaded, ready, what, children }: { loaded: boolean; ready: boolean; what: string; children: ReactNode }) {
  const open = useConnection((c) => c.state === 'open');
  const vm = useStatus((s) => s.status?.vm);
  const engine = useStatus((s) => s.status?.engine);
  if (!open) return <EmptyState title="Connecting to the Berth agent…">Your {what} show up here once it answers.</EmptyState>;
  if (!ready && vm?.state === 'starting') return <BootState what={what} stage={vm.stage} percent={vm.percent} detail={vm.detail} />;
  if (!ready && vm?.state === 'running' && engine?.state === 'connecting') {
    return <BootState what={what} stage="engine" percent={99} detail={`connecting, attempt ${engine.attempt}`} />;
  }
  if (!ready && vm?.state === 'stopping') return <EmptyState title="The VM is stopping…">Start it again from the status bar once it has stopped.</EmptyState>;
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
