import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { PortForward } from '../../../electron/contract/ports';
import type { AgentConnection } from '../connection/connection';

interface PortsState {
  /** Forwards of each container, keyed `containerId` then `hostPort/protocol`. */
  byContainer: ReadonlyMap<string, ReadonlyMap<string, PortForward>>;
}

export const portsStore = createStore<PortsState>(() => ({ byContainer: new Map() }));

export const forwardKey = (hostPort: number, protocol: string) => `${hostPort}/${protocol}`;

export function applyPortTable(table: readonly PortForward[]): void {
  const byContainer = new Map<string, Map<string, PortForward>>();
  for (const f of table) {
    let forwards = byContainer.get(f.containerId);
    if (!forwards) byContainer.set(f.containerId, (forwards = new Map()));
    forwards.set(forwardKey(f.hostPort, f.protocol), f);
  }
  portsStore.setState({ byContainer });
}

/** The host forwards of one container; undefined while the agent has not reported any. */
export function useContainerForwards(containerId: string): ReadonlyMap<string, PortForward> | undefined {
  return useStore(portsStore, (s) => s.byContainer.get(containerId));
}

/** Keeps the table current from the agent's `ports.watch` (the whole table on every change; it is small). */
export function feedPorts(conn: AgentConnection): () => void {
  return conn.subscribe(
    'ports.watch',
    {},
    (table) => applyPortTable(table as PortForward[]),
    () => applyPortTable([]),
  );
}
