import type { AgentContext, BerthRouter } from '../context';
import { Observable, pushLatest } from '../../base/observable';
import { hostLimits } from '../../settings/schema';
import { SettingsStore } from '../../settings/store';
import type { VmConsoleBatch, VmDetail, VmStartProgress } from '../../contract/vm';
import type { GuestProvider } from '../../vm/guest';
import { berthGuest } from '../../vm/guest-image';
import { Engine } from '../../engine/engine';
import { toBerthStatus } from '../../engine/status-map';

export interface EngineHandlerOptions {
  guest?: GuestProvider;
}

/** vm.*, settings.* and the VM/engine half of status.*: one Engine per agent, stopped cleanly on shutdown. */
export function registerEngineHandlers(router: BerthRouter, ctx: AgentContext, options: EngineHandlerOptions = {}): Engine {
  const settings = new SettingsStore(ctx.paths.settings);
  // BERTH_REGISTRY_MIRROR (e.g. http://10.0.2.2:5000): tests serve "Docker Hub" images from a local registry.
  const guest = options.guest ?? berthGuest({ registryMirror: process.env.BERTH_REGISTRY_MIRROR || undefined });
  const engine = new Engine({ paths: ctx.paths, settings, guest });
  const detail = new Observable<VmDetail>(engine.status());
  engine.on('status', (s) => {
    detail.set(s);
    ctx.status.set(toBerthStatus(s));
  });
  engine.vm.on('status', (s) => {
    if (s.state === 'error') ctx.log.warn(`vm error: ${s.reason}`);
    else ctx.log.info(`vm ${s.state}${s.state === 'starting' ? ` ${s.stage}` : ''}`);
  });
  ctx.onShutdown(() => engine.stop());

  void settings.get().then(
    (s) => {
      if (s.autostart) engine.start().catch((err: Error) => ctx.log.error(`autostart failed: ${err.message}`));
    },
    (err: Error) => ctx.log.warn(`settings: ${err.message}`),
  );

  router
    .stream('vm.start', async (_params, sink) => {
      // Progress arrives synchronously from the engine; the sink is paced by the client, so queue in between.
      // A client that goes away does not cancel the boot: other clients may be waiting for it too.
      let chain = Promise.resolve();
      const push = (p: VmStartProgress) => {
        chain = chain.then(() => (sink.signal.aborted ? undefined : sink.push(p).catch(() => undefined)));
      };
      await engine.start(push);
      await chain;
    })
    .call('vm.stop', async () => {
      await engine.stop();
      return engine.status();
    })
    .call('vm.status', async () => engine.status())
    .call('vm.logs', async ({ lines }) => ({ file: engine.vm.consoleLogFile, lines: engine.vm.consoleTail(lines) }))
    .call('vm.resetHostKey', async () => {
      await engine.resetHostKey();
      return null;
    })
    .stream('vm.state', (_params, sink) => pushLatest(detail, sink))
    .stream('vm.console', (_params, sink) => followConsole(engine, sink))
    .call('settings.get', async () => ({ file: settings.file, settings: await settings.get(), host: hostLimits() }))
    .call('settings.update', async ({ patch }) => settings.update(patch));
  return engine;
}

const CONSOLE_BACKLOG = 5000;

/** Batches console lines for one reader; a reader slower than the guest loses the oldest lines, counted. */
async function followConsole(engine: Engine, sink: { push(b: VmConsoleBatch): Promise<void>; signal: AbortSignal }): Promise<void> {
  let pending: string[] = [];
  let dropped = 0;
  let wake: (() => void) | undefined;
  const onLine = (line: string) => {
    pending.push(line);
    if (pending.length > CONSOLE_BACKLOG) {
      dropped += pending.length - CONSOLE_BACKLOG;
      pending = pending.slice(-CONSOLE_BACKLOG);
    }
    wake?.();
  };
  engine.vm.on('console', onLine);
  const aborted = new Promise<void>((r) => sink.signal.addEventListener('abort', () => r(), { once: true }));
  try {
    while (!sink.signal.aborted) {
      if (!pending.length) {
        await Promise.race([new Promise<void>((r) => (wake = r)), aborted]);
        wake = undefined;
        continue;
      }
      const batch: VmConsoleBatch = { lines: pending, ...(dropped ? { dropped } : {}) };
      pending = [];
      dropped = 0;
      await sink.push(batch);
    }
  } catch (err) {
    if (!sink.signal.aborted) throw err;
  } finally {
    engine.vm.off('console', onLine);
  }
}
