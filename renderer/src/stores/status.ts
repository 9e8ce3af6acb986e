import { create } from 'zustand';
import type { BerthStatus } from '../../../electron/contract/contract';
import type { AgentConnection } from '../connection/connection';

export interface StatusState {
  status: BerthStatus | null;
}

export const useStatus = create<StatusState>(() => ({ status: null }));

export function feedStatus(conn: AgentConnection): () => void {
  return conn.subscribe(
    'status.watch',
    {},
    (status) => useStatus.setState({ status }),
    () => useStatus.setState({ status: null }),
  );
}
