import { useConnection } from '../connection/connection';

/**
 * After this many failed reconnects in a row (about 8 s of backoff) the page says what the user can do. A
 * restarted agent keeps its address (port and token are saved in BERTH_HOME), so the tab normally reconnects
 * before this shows; it shows when Berth is stopped, or when another program took the port and the agent moved:
 * the tab cannot learn the new address, only the user can open it.
 */
export const LOST_AFTER_ATTEMPTS = 5;

/** Browser mode only: Electron asks main for the agent's endpoint before every attempt and so follows a move. */
export function AgentLostNote() {
  const lost = useConnection((c) => c.state === 'retrying' && c.attempt >= LOST_AFTER_ATTEMPTS);
  if (!lost || window.berth) return null;
  return (
    <div className="error-note agent-lost" role="alert" data-testid="agent-lost">
      <span>
        Berth does not answer at this address ({window.location.host}). This tab keeps trying and reconnects by itself
        when Berth starts again here.
      </span>
      <span className="hint">
        If Berth is stopped, start it with <code>npm run web</code>. If it is running (<code>berth status</code>), it
        moved to a new address this tab cannot learn: open the URL that <code>npm run web</code> or{' '}
        <code>berth status</code> prints.
      </span>
    </div>
  );
}
