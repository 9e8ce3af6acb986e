import { EmptyState } from '../../components/EmptyState';

export function HubView() {
  return (
    <section className="view" aria-labelledby="hub-title">
      <header className="view-head">
        <h1 id="hub-title">Hub</h1>
      </header>
      <div className="view-body">
        <EmptyState title="Search Docker Hub here, soon">
          Browsing repositories and tags is on its way. Meanwhile, pull an image by name in <a href="#/images">Images</a>.
        </EmptyState>
      </div>
    </section>
  );
}
