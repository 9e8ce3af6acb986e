import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { AgentConnection, setConnection } from './connection/connection';
import { agentSocketUrl } from './connection/bridge';
import { feedDomainStores } from './stores/domains';
import { feedStatus } from './stores/status';
import { followHash } from './stores/route';
import './styles.css';

// Asked before every attempt; in browser mode the first call takes the token out of the address bar at once.
const connection = new AgentConnection(() => agentSocketUrl());
setConnection(connection);
feedStatus(connection);
feedDomainStores(connection);
followHash();
connection.start();

createRoot(document.getElementById('root')!).render(<App />);
