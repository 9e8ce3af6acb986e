import type { SettingsStore } from '../settings/store';
import { HostPauseWatch } from '../vm/host-pause-watch';
import type { VirtualMachine } from '../vm/machine';
import { ResourceSaver } from '../vm/resource-saver';
import { dropIdleConnections, type TunnelAgent } from './docker';
import { syncGuestClock } from './guest-clock';
import type { Tunnel } from './tunnel';

/**
 * Dropped before a pause so the guest's free page reporting gives that memory back to the host while it
 * sleeps; `compact_memory` makes whole free blocks of the size the reporting works in.
 */
const DROP_CACHES = 'sync; echo 3 > /proc/sys/vm/drop_caches; echo 1 > /proc/sys/vm/compact_memory 2>/dev/null; true';

/** Free page reporting hands pages over on its own delay (~2 s in Linux): let it before the vCPUs stop. */
const REPORTING_SETTLE_MS = 2500;

/** Tests only: an idle period in ms instead of settings.resourceSaverMinutes (which counts whole minutes). */
const IDLE_OVERRIDE_ENV = 'BERTH_RESOURCE_SAVER_IDLE_MS';

export interface SaverParts {
  vm: VirtualMachine;
  tunnel(): Tunnel | null;
  agent(): TunnelAgent | null;
  /** The engine answers and the tunnel is up: only then can the VM be paused (and woken by a request). */
  engineUp(): boolean;
  /** docker CLI connections open on the host socket (a request may be waiting in the guest). */
  clientsConnected(): boolean;
  settings: SettingsStore;
  log?(line: string): void;
}

/**
 * Resource Saver wired to the engine's parts, plus the guest clock's keeper: the clock is set after every wake,
 * after every tunnel reconnect (QEMU stopped by a signal, a guest that stalled) and whenever the host itself
 * stood still (a laptop's sleep).
 */
export interface SaverLink {
  saver: ResourceSaver;
  /** What keeps the VM up besides the engine's own state: running containers (the engine model knows them). */
  setWorkload(busy: () => boolean): void;
  /** Set the guest clock now, in the background (why goes to the log). */
  fixClock(why: string): void;
  dispose(): void;
}

export function linkResourceSaver(p: SaverParts): SaverLink {
  let workload: () => boolean = () => false;
  let idleMs: number | null = null;
  const override = Number(process.env[IDLE_OVERRIDE_ENV]);
  p.settings.on('changed', (s) => (idleMs = s.resourceSaverMinutes * 60_000));
  const fixClock = (why: string) => {
    const t = p.tunnel();
    if (!t || t.state !== 'connected' || saver.paused) return;
    syncGuestClock((c) => t.exec(c, { background: true })).then(
      () => p.log?.(`guest clock set (${why})`),
      (err: Error) => p.log?.(`guest clock not set (${why}): ${err.message}`),
    );
  };
  const saver = new ResourceSaver({
    qmp: (command) => p.vm.qmpExecute(command).then(() => undefined),
    prepare: async () => {
      await p.tunnel()?.exec(DROP_CACHES, { background: true });
      await new Promise((r) => setTimeout(r, REPORTING_SETTLE_MS));
    },
    hold: () => {
      p.tunnel()?.hold();
      // Idle keep-alive channels would carry the next API call to a stopped guest without passing the gate.
      const agent = p.agent();
      if (agent) dropIdleConnections(agent);
    },
    release: () => p.tunnel()?.release(),
    afterWake: () => fixClock('after a wake'),
    busy: () => !p.engineUp() || p.clientsConnected() || workload(),
    idleMs: async () => {
      if (Number.isFinite(override) && override > 0) return override;
      return (idleMs ??= (await p.settings.get()).resourceSaverMinutes * 60_000);
    },
    log: p.log,
  });
  const watch = new HostPauseWatch((gap) => fixClock(`the host stood still for ${Math.round(gap / 1000)} s`));
  watch.start();
  return { saver, setWorkload: (busy) => (workload = busy), fixClock, dispose: () => watch.stop() };
}
