import { useHub } from '../../stores/hub';
import { HubSearch } from './HubSearch';
import { RepositoryPage } from './RepositoryPage';
import './hub.css';

/** Docker Hub: search, then a repository's README and tags, from which a tag is pulled and run. */
export function HubView() {
  const repository = useHub((s) => s.repository);
  return (
    <section className="view" aria-labelledby="hub-title">
      <header className="view-head">
        <h1 id="hub-title">Hub</h1>
      </header>
      <div className="view-body">{repository ? <RepositoryPage /> : <HubSearch />}</div>
    </section>
  );
}
