import { useStore } from 'zustand';
import type { CollectionEvent, ContainerSummary, ImageSummary, NetworkSummary, VolumeSummary } from '../../../electron/contract/model';
import { frameBatcher } from './frame-batcher';
import type { AgentConnection } from '../connection/connection';
import { createCollectionStore, type CollectionState, type CollectionStore } from './collection-store';
import { feedPorts } from './ports';

export const containersStore = createCollectionStore<ContainerSummary>();
export const imagesStore = createCollectionStore<ImageSummary>();
export const volumesStore = createCollectionStore<VolumeSummary>();
export const networksStore = createCollectionStore<NetworkSummary>();

export function useContainers<R>(select: (s: CollectionState<ContainerSummary>) => R): R {
  return useStore(containersStore, select);
}
export function useImages<R>(select: (s: CollectionState<ImageSummary>) => R): R {
  return useStore(imagesStore, select);
}
export function useVolumes<R>(select: (s: CollectionState<VolumeSummary>) => R): R {
  return useStore(volumesStore, select);
}
export function useNetworks<R>(select: (s: CollectionState<NetworkSummary>) => R): R {
  return useStore(networksStore, select);
}

function feed<T extends { id: string }>(conn: AgentConnection, name: 'containers.watch' | 'images.watch' | 'volumes.watch' | 'networks.watch', store: CollectionStore<T>) {
  // Stats ticks for dozens of containers arrive as many small deltas: render them once per frame.
  const batcher = frameBatcher<CollectionEvent<T>>((events) => store.getState().applyMany(events));
  const off = conn.subscribe(
    name,
    {},
    (e) => batcher.push(e as unknown as CollectionEvent<T>),
    () => {
      batcher.cancel();
      store.getState().lost();
    },
  );
  return () => {
    off();
    batcher.cancel();
  };
}

/** Wires the engine model's streams into the domain stores; data flows one way, from the agent to the views. */
export function feedDomainStores(conn: AgentConnection): () => void {
  const offs = [
    feed(conn, 'containers.watch', containersStore),
    feed(conn, 'images.watch', imagesStore),
    feed(conn, 'volumes.watch', volumesStore),
    feed(conn, 'networks.watch', networksStore),
    feedPorts(conn),
  ];
  return () => offs.forEach((off) => off());
}
