import type Docker from 'dockerode';
import { onJsonLines } from '../base/json-lines';
import { Collection } from './collection';
import { carriedFacts, changesExitFacts, readExitFacts } from './exit-facts';
import { toContainer, toImage, toNetwork, toVolume } from './mappers';
import { cpuPercent } from './stats';
import type { ContainerSummary, ImageSummary, NetworkSummary, VolumeSummary } from '../contract/model';

/** What the model needs from the Engine: whether dockerd answers, and dockerode when it does. */
export interface EngineSource {
  status(): { engine: { ready: boolean } };
  on(event: 'status', listener: (s: { engine: { ready: boolean } }) => void): unknown;
  readonly docker: Docker;
}

interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  id?: string;
}

/** Containers whose CPU and memory the list shows at once: each is one long-lived request, i.e. one SSH channel
 * out of the tunnel agent's 64, which logs, terminals, pulls and the event streams share. */
const LIVE_STATS_LIMIT = 24;
/** Stopped containers whose exit facts (OOM, restarts) are read when the engine connects; later ones on events. */
const EXIT_FACTS_ON_CONNECT = 50;
/** Changed containers above which one full list replaces a per-id query. */
const BURST_RELIST = 200;

/**
 * The engine as clients see it: containers, images, volumes and networks, kept current by the engine's event
 * stream. A full re-list happens only when the engine (re)connects; afterwards each event refreshes what it names,
 * batched so a burst (compose up of 50 services) costs a few list calls.
 */
export class EngineModel {
  readonly containers = new Collection<ContainerSummary>();
  readonly images = new Collection<ImageSummary>();
  readonly volumes = new Collection<VolumeSummary>();
  readonly networks = new Collection<NetworkSummary>();

  private generation = 0;
  private events: NodeJS.ReadableStream | null = null;
  private dirtyContainers = new Set<string>();
  /** Containers to inspect on their next refresh: an event said their OOM flag or restart count may differ. */
  private factsWanted = new Set<string>();
  private containerTimer: NodeJS.Timeout | null = null;
  private relistTimers = new Map<string, NodeJS.Timeout>();
  private readonly stats = new Map<string, { stop(): void }>();
  private statsWanted = 0;
  /** Others that act on engine events (the disk's automatic trim), fed by this one subscription. */
  readonly eventListeners = new Set<(event: { Type?: string; Action?: string }) => void>();

  constructor(
    private readonly engine: EngineSource,
    private readonly log: (message: string) => void = () => {},
  ) {
    engine.on('status', (s) => this.onEngine(s.engine.ready));
    this.onEngine(engine.status().engine.ready);
  }

  get docker(): Docker {
    return this.engine.docker;
  }

  private connected = false;

  private onEngine(ready: boolean): void {
    if (ready === this.connected) return;
    this.connected = ready;
    this.generation += 1;
    if (ready) void this.connect(this.generation);
    else this.disconnect();
  }

  private disconnect(): void {
    (this.events as unknown as { destroy?: () => void } | null)?.destroy?.();
    this.events = null;
    for (const t of this.relistTimers.values()) clearTimeout(t);
    this.relistTimers.clear();
    if (this.containerTimer) clearTimeout(this.containerTimer);
    this.containerTimer = null;
    this.dirtyContainers.clear();
    this.factsWanted.clear();
    this.stopAllStats();
    this.containers.replaceAll([], false);
    this.images.replaceAll([], false);
    this.volumes.replaceAll([], false);
    this.networks.replaceAll([], false);
  }

  private async connect(gen: number): Promise<void> {
    try {
      // Subscribe before listing: an event between the two only causes a redundant refresh, never a stale row.
      const events = await this.docker.getEvents({});
      if (gen !== this.generation) return (events as unknown as { destroy(): void }).destroy();
      this.events = events;
      onJsonLines<DockerEvent>(events, (event) => {
        try {
          for (const l of this.eventListeners) l(event);
          this.onEvent(event);
        } catch {
          /* a foreign event shape: the next re-list repairs whatever it concerned */
        }
      });
      events.on('end', () => {
        // dockerd went away while the tunnel stayed: re-list once it answers again.
        if (gen === this.generation && this.connected) setTimeout(() => gen === this.generation && void this.connect(++this.generation), 1000);
      });
      events.on('error', () => undefined);
      const [containers, images, volumes, networks] = await Promise.all([
        this.docker.listContainers({ all: true }),
        this.docker.listImages({}),
        this.docker.listVolumes({}),
        this.docker.listNetworks({}),
      ]);
      if (gen !== this.generation) return;
      this.containers.replaceAll(containers.map(toContainer), true);
      this.wantFactsOfStopped();
      const derived = this.derived();
      this.images.replaceAll(images.map((i) => toImage(i, derived.imageUse)), true);
      this.volumes.replaceAll((volumes.Volumes ?? []).map((v) => toVolume(v, derived.volumeUse)), true);
      this.networks.replaceAll(networks.map((n) => toNetwork(n, derived.networkUse)), true);
      this.syncStats();
    } catch (err) {
      this.log(`engine model: listing failed: ${(err as Error).message}`);
      if (gen === this.generation) setTimeout(() => gen === this.generation && void this.connect(gen), 2000);
    }
  }

  private onEvent(ev: DockerEvent): void {
    const id = ev.Actor?.ID ?? ev.id;
    switch (ev.Type) {
      case 'container':
        if (!id || ev.Action?.startsWith('exec_') || ev.Action === 'top') return;
        if (changesExitFacts(ev.Action, this.containers.get(id))) this.factsWanted.add(id);
        this.dirtyContainers.add(id);
        this.containerTimer ??= setTimeout(() => void this.refreshContainers(), 30);
        return;
      case 'image':
        return this.scheduleRelist('images');
      case 'volume':
        return this.scheduleRelist('volumes');
      case 'network':
        // connect/disconnect change a container's networks as well as the network's members
        if (ev.Actor?.Attributes?.container) this.dirtyContainers.add(ev.Actor.Attributes.container);
        return this.scheduleRelist('networks');
    }
  }

  /** After an action: the row reflects the engine even if its event is slow or lost. */
  refreshContainer(id: string): void {
    if (!this.connected) return;
    this.dirtyContainers.add(id);
    this.containerTimer ??= setTimeout(() => void this.refreshContainers(), 30);
  }

  /** After a (re)connect: why the most recent stopped containers stopped, without inspecting every container. */
  private wantFactsOfStopped(): void {
    const stopped = this.containers
      .values()
      .filter((c) => c.state !== 'running' && c.state !== 'paused' && c.state !== 'created')
      .sort((a, b) => b.created - a.created)
      .slice(0, EXIT_FACTS_ON_CONNECT);
    for (const c of stopped) {
      this.factsWanted.add(c.id);
      this.dirtyContainers.add(c.id);
    }
    if (stopped.length) this.containerTimer ??= setTimeout(() => void this.refreshContainers(), 30);
  }

  private async refreshContainers(): Promise<void> {
    const gen = this.generation;
    const ids = [...this.dirtyContainers];
    this.dirtyContainers.clear();
    const inspect = ids.filter((id) => this.factsWanted.delete(id));
    let retryMs = 30;
    try {
      // A big burst (compose down of hundreds) is cheaper as one full list than as a huge id filter.
      const whole = ids.length > BURST_RELIST;
      const [found, facts] = await Promise.all([
        this.docker.listContainers(whole ? { all: true } : { all: true, filters: { id: ids } }),
        readExitFacts(this.docker, inspect),
      ]);
      if (gen !== this.generation) return;
      const check = new Set(ids);
      if (whole) for (const c of this.containers.values()) check.add(c.id);
      const seen = new Set<string>();
      for (const c of found) {
        const prev = this.containers.get(c.Id);
        // The list cannot say OOM or restarts: fresh from inspect when an event asked, else as they were.
        const next = { ...toContainer(c), ...(facts.get(c.Id) ?? carriedFacts(prev)) };
        // Usage figures come from the stats streams; a status event must not blank them.
        if (prev && next.state === 'running') Object.assign(next, { cpuPercent: prev.cpuPercent, memBytes: prev.memBytes });
        seen.add(c.Id);
        if (!prev || JSON.stringify(prev) !== JSON.stringify(next)) this.containers.upsert(next);
      }
      for (const id of check) if (!seen.has(id)) this.containers.remove(id);
      this.updateDerived();
      this.syncStats();
    } catch (err) {
      // A failed query must not lose the change: the same ids are asked for again shortly.
      this.log(`engine model: refresh failed (retrying): ${(err as Error).message}`);
      if (gen === this.generation) for (const id of ids) this.dirtyContainers.add(id);
      if (gen === this.generation) for (const id of inspect) this.factsWanted.add(id);
      retryMs = 1000;
    } finally {
      this.containerTimer = null;
      if (this.dirtyContainers.size && gen === this.generation) this.containerTimer = setTimeout(() => void this.refreshContainers(), retryMs);
    }
  }

  private scheduleRelist(what: 'images' | 'volumes' | 'networks'): void {
    if (this.relistTimers.has(what)) return;
    this.relistTimers.set(
      what,
      setTimeout(() => {
        this.relistTimers.delete(what);
        void this.relist(what);
      }, 100),
    );
  }

  private async relist(what: 'images' | 'volumes' | 'networks'): Promise<void> {
    const gen = this.generation;
    try {
      // "In use" is taken from the containers as they are when the list arrives, not when it was asked for: a
      // container removed meanwhile (docker rm sends an unmount event, then destroy) must not come back as a user.
      if (what === 'images') {
        const list = await this.docker.listImages({});
        const d = this.derived();
        if (gen === this.generation) merge(this.images, list.map((i) => toImage(i, d.imageUse)));
      } else if (what === 'volumes') {
        const list = await this.docker.listVolumes({});
        const d = this.derived();
        const sized = (v: VolumeSummary) => (v.size === undefined && this.volumes.get(v.id)?.size !== undefined ? { ...v, size: this.volumes.get(v.id)!.size } : v);
        if (gen === this.generation) merge(this.volumes, (list.Volumes ?? []).map((v) => sized(toVolume(v, d.volumeUse))));
      } else {
        const list = await this.docker.listNetworks({});
        const d = this.derived();
        if (gen === this.generation) merge(this.networks, list.map((n) => toNetwork(n, d.networkUse)));
      }
    } catch (err) {
      this.log(`engine model: ${what} re-list failed (retrying): ${(err as Error).message}`);
      if (gen === this.generation) setTimeout(() => gen === this.generation && this.scheduleRelist(what), 1000);
    }
  }

  private derived() {
    const imageUse = new Map<string, number>();
    const volumeUse = new Map<string, string[]>();
    const networkUse = new Map<string, string[]>();
    for (const c of this.containers.values()) {
      imageUse.set(c.imageId, (imageUse.get(c.imageId) ?? 0) + 1);
      for (const m of c.mounts) if (m.name) volumeUse.set(m.name, [...(volumeUse.get(m.name) ?? []), c.name]);
      for (const n of c.networks) networkUse.set(n, [...(networkUse.get(n) ?? []), c.name]);
    }
    return { imageUse, volumeUse, networkUse };
  }

  /** "In use" columns follow containers without asking the engine again. */
  private updateDerived(): void {
    const d = this.derived();
    for (const i of this.images.values()) {
      const n = d.imageUse.get(i.id) ?? 0;
      if (n !== i.containers) this.images.upsert({ ...i, containers: n });
    }
    for (const v of this.volumes.values()) {
      const used = d.volumeUse.get(v.name) ?? [];
      if (used.join('\n') !== v.usedBy.join('\n')) this.volumes.upsert({ ...v, usedBy: used });
    }
    for (const n of this.networks.values()) {
      const used = d.networkUse.get(n.name) ?? [];
      if (used.join('\n') !== n.containers.join('\n')) this.networks.upsert({ ...n, containers: used });
    }
  }

  /** Live CPU/memory in the list costs one stats request per running container: only while someone watches. */
  watchContainers(sink: Parameters<Collection<ContainerSummary>['watch']>[0]): Promise<void> {
    this.statsWanted += 1;
    this.syncStats();
    return this.containers.watch(sink).finally(() => {
      this.statsWanted -= 1;
      this.syncStats();
    });
  }

  private syncStats(): void {
    if (!this.connected || this.statsWanted === 0) return this.stopAllStats();
    const running = this.containers
      .values()
      .filter((c) => c.state === 'running')
      .slice(0, LIVE_STATS_LIMIT);
    const keep = new Set(running.map((c) => c.id));
    for (const [id, s] of this.stats) {
      if (!keep.has(id)) {
        s.stop();
        this.stats.delete(id);
      }
    }
    for (const c of running) if (!this.stats.has(c.id)) this.stats.set(c.id, this.startStats(c.id));
  }

  private stopAllStats(): void {
    for (const s of this.stats.values()) s.stop();
    this.stats.clear();
  }

  private startStats(id: string): { stop(): void } {
    let stream: (NodeJS.ReadableStream & { destroy?: () => void }) | null = null;
    let stopped = false;
    void this.docker
      .getContainer(id)
      .stats({ stream: true })
      .then((s) => {
        stream = s as typeof stream;
        if (stopped) return stream!.destroy?.();
        onJsonLines<Docker.ContainerStats>(s, (raw) => {
          const c = this.containers.get(id);
          if (!c || c.state !== 'running') return;
          const cpu = Math.round(cpuPercent(raw) * 10) / 10;
          const mem = raw.memory_stats?.usage ?? 0;
          if (cpu !== c.cpuPercent || mem !== c.memBytes) this.containers.upsert({ ...c, cpuPercent: cpu, memBytes: mem });
        });
        s.on('error', () => undefined);
      })
      .catch(() => undefined);
    return {
      stop: () => {
        stopped = true;
        stream?.destroy?.();
      },
    };
  }

  /**
   * Volume sizes cost the engine a walk of every volume (`docker system df`), so they are fetched when asked
   * and folded into the volumes collection; watchers see them arrive like any other change.
   */
  async measureVolumes(): Promise<number> {
    const df = (await this.docker.df()) as { Volumes?: { Name: string; UsageData?: { Size: number } | null }[] | null };
    let n = 0;
    for (const v of df.Volumes ?? []) {
      const cur = this.volumes.get(v.Name);
      const size = v.UsageData?.Size;
      if (cur && size !== undefined && size >= 0 && cur.size !== size) {
        this.volumes.upsert({ ...cur, size });
        n += 1;
      }
    }
    return n;
  }

  dispose(): void {
    this.generation += 1;
    this.connected = false;
    this.disconnect();
  }
}

function merge<T extends { id: string }>(col: Collection<T>, items: T[]): void {
  const ids = new Set(items.map((i) => i.id));
  for (const old of col.values()) if (!ids.has(old.id)) col.remove(old.id);
  for (const item of items) {
    const old = col.get(item.id);
    if (!old || JSON.stringify(old) !== JSON.stringify(item)) col.upsert(item);
  }
}
