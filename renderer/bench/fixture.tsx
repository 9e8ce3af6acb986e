import { useReducer, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { useConnection } from '../src/connection/connection';
import { containersStore } from '../src/stores/domains';
import { ContainersView } from '../src/views/containers/ContainersView';
import { LogView } from '../src/views/containers/LogView';
import { LogBuffer } from '../src/views/containers/log-buffer';
import { fakeContainer } from './fake-data';

declare global {
  interface Window {
    /** Appends n numbered lines ("line 1" ...) to the fixture's log view. */
    __appendLogs?: (n: number) => void;
  }
}

/**
 * The container list (2,000 containers) and, after "Show logs", a log view fed from the test, with no agent:
 * what a user sees of the windowed lists in the real browser, without a VM to make 2,000 containers.
 */
function Fixture() {
  const [logs, setLogs] = useState(false);
  const [buffer] = useState(() => new LogBuffer());
  const [version, bump] = useReducer((n: number) => n + 1, 0);
  window.__appendLogs = (n) => {
    const from = buffer.length + buffer.dropped;
    buffer.append(Array.from({ length: n }, (_, k) => `2026-11-30T10:00:00Z line ${from + k + 1}`));
    bump();
  };
  return (
    <main style={{ display: 'flex', flexDirection: 'column', height: '100vh' }}>
      <button type="button" onClick={() => setLogs((v) => !v)}>
        {logs ? 'Show containers' : 'Show logs'}
      </button>
      {logs ? <LogView buffer={buffer} version={version} name="fixture" /> : <ContainersView />}
    </main>
  );
}

export function mountFixture(): void {
  useConnection.setState({ state: 'open', attempt: 0 });
  containersStore
    .getState()
    .apply({
      kind: 'snapshot',
      ready: true,
      items: Array.from({ length: 2000 }, (_, i) => fakeContainer(i)),
    });
  createRoot(document.getElementById('root')!).render(<Fixture />);
}
