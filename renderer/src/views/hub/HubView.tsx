import { useEffect } from 'react';
import { hubStore } from '../../stores/hub';
import { useRoute } from '../../stores/route';
import { useConnection } from '../../connection/connection';
import { HubSearch } from './HubSearch';
import { RepositoryPage } from './RepositoryPage';
import './hub.css';

/** Docker Hub: search, then a repository's README and tags, from which a tag is pulled and run. */
export function HubView() {
  // The address says which page is open (`#/hub/busybox`), so reloads and Back work; the store holds its data.
  const routed = useRoute((r) => r.repository ?? null);
  // After a reload the page exists before the agent connection does: ask once it is open (and again after a
  // reconnect if the last attempt found no connection).
  const open = useConnection((c) => c.state === 'open');
  useEffect(() => {
    const s = hubStore.getState();
    if (!routed) {
      if (s.repository) s.closeRepository();
    } else if (open && (routed !== s.repository || s.repo.error?.code === 'unavailable')) {
      s.openRepository(routed);
    }
  }, [routed, open]);
  return (
    <section className="view" aria-labelledby="hub-title">
      <header className="view-head">
        <h1 id="hub-title">Hub</h1>
      </header>
      <div className="view-body">{routed ? <RepositoryPage /> : <HubSearch />}</div>
    </section>
  );
}
