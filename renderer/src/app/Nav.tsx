import { navigate, useRoute, views, type ViewName } from '../stores/route';
import { useContainers, useImages } from '../stores/domains';

export const VIEW_LABELS: Record<ViewName, string> = {
  containers: 'Containers',
  compose: 'Compose',
  images: 'Images',
  volumes: 'Volumes',
  networks: 'Networks',
  hub: 'Hub',
  disk: 'Disk',
  settings: 'Settings',
  troubleshoot: 'Troubleshoot',
};

export function Nav() {
  const current = useRoute((r) => r.view);
  const running = useContainers((s) => {
    let n = 0;
    for (const c of s.byId.values()) if (c.state === 'running') n += 1;
    return n;
  });
  const images = useImages((s) => s.byId.size);
  const counts: Partial<Record<ViewName, number>> = { containers: running, images };
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand" aria-hidden="true">
        ⚓ Berth
      </div>
      <ul>
        {views.map((v) => (
          <li key={v}>
            <a
              href={`#/${v}`}
              aria-current={current === v ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                navigate({ view: v });
              }}
            >
              <span>{VIEW_LABELS[v]}</span>
              {counts[v] ? (
                <span className="count" aria-label={v === 'containers' ? `${counts[v]} running` : `${counts[v]} images`}>
                  {counts[v]}
                </span>
              ) : null}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
