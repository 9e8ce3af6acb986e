import { useRoute, type ViewName } from '../stores/route';
import { useConnection } from '../connection/connection';
import { Nav } from './Nav';
import { StatusBar } from './StatusBar';
import { ContainersView } from '../views/containers/ContainersView';
import { ImagesView } from '../views/images/ImagesView';
import { VolumesView } from '../views/volumes/VolumesView';
import { NetworksView } from '../views/networks/NetworksView';
import { HubView } from '../views/hub/HubView';
import { SettingsView } from '../views/settings/SettingsView';
import { TroubleshootView } from '../views/troubleshoot/TroubleshootView';
import { DiskView } from '../views/disk/DiskView';
import { ComposeView } from '../views/compose/ComposeView';
import { Notifier } from './Notifier';
import { EmptyState } from '../components/EmptyState';
import { AgentLostNote } from './AgentLostNote';

const VIEWS: Record<ViewName, () => React.JSX.Element> = {
  containers: ContainersView,
  compose: ComposeView,
  images: ImagesView,
  volumes: VolumesView,
  networks: NetworksView,
  hub: HubView,
  disk: DiskView,
  settings: SettingsView,
  troubleshoot: TroubleshootView,
};

export function App() {
  const view = useRoute((r) => r.view);
  const noToken = useConnection((c) => c.state === 'no-token');
  const View = VIEWS[view];
  return (
    <div className="shell">
      <Nav />
      <main className="main" id="main">
        <AgentLostNote />
        {noToken ? (
          <EmptyState title="This page needs the agent's access token">
            Open the URL that <code>npm run web</code> (or <code>berth web</code>) printed; it carries the token.
          </EmptyState>
        ) : (
          <View />
        )}
      </main>
      <StatusBar />
      <Notifier />
    </div>
  );
}
