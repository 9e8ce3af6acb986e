import type { AgentContext, BerthRouter } from '../context';
import { Observable } from '../../base/observable';
import { DropOldestLines, pump, pushLatest } from '../../protocol/pump';
import { hostLimits } from '../../settings/schema';
import { SettingsStore } from '../../settings/store';
import { patchProblems, problemsError } from '../../settings/patch-check';
import { dataDiskGiB, streamBoot } from './vm-shared';
import type { VmConsoleBatch, VmDetail } from '../../contract/vm';
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
  const engine = new Engine({ paths: ctx.paths, settings, guest, log: (line) => ctx.log.info(line) });
  const detail = new Observable<VmDetail>(engine.status());
  // The log keeps a start's timeline (bench:engine reads it): the VM's stages, the guest's own later ones, and
  // the moment the engine answers the host.
  let engineReady = false;
  engine.on('status', (s) => {
    detail.set(s);
    ctx.status.set(toBerthStatus(s));
    if (s.engine.ready !== engineReady) {
      engineReady = s.engine.ready;
      ctx.log.info(engineReady ? `engine ready: Docker ${s.engine.version ?? '?'}` : 'engine not ready');
    }
  });
  engine.vm.on('status', (s) => {
    if (s.state === 'error') ctx.log.warn(`vm error: ${s.reason}`);
    else ctx.log.info(`vm ${s.state}${s.state === 'starting' ? ` ${s.stage}` : ''}`);
  });
  engine.vm.on('guest', (ev) => {
    if (ev.kind === 'stage' && engine.vm.status().state !== 'starting') ctx.log.info(`guest stage ${ev.stage}`);
  });
  ctx.onShutdown(() => engine.stop());

  // Boots while the rest of the agent starts: with autostart, or when a `berth start` launched this agent (its
  // vm.start call then joins this boot instead of waiting for the agent to listen before QEMU can be spawned).
  void settings.get().then(
    (s) => {
      if (!s.autostart && !ctx.bootAtLaunch) return;
      const why = s.autostart ? 'autostart' : 'boot at launch';
      engine.start().catch((err: Error) => ctx.log.error(`${why} failed: ${err.message}`));
    },
    (err: Error) => ctx.log.warn(`settings: ${err.message}`),
  );

  router
    .stream('vm.start', (_params, sink) => streamBoot(sink, (push) => engine.start(push)))
    .call('vm.stop', async () => {
      await engine.stop();
      return engine.status();
    })
    .call('vm.status', async () => engine.status())
    .call('vm.pause', async () => {
      await engine.saver.pause('manual');
      return engine.status();
    })
    .call('vm.wake', async () => {
      await engine.saver.wake();
      return engine.status();
    })
    .call('vm.logs', async ({ lines }) => ({ file: engine.vm.consoleLogFile, lines: engine.vm.consoleTail(lines) }))
    .call('vm.resetHostKey', async () => {
      await engine.resetHostKey();
      return null;
    })
    .stream('vm.state', (_params, sink) => pushLatest(detail, sink))
    .stream('vm.console', (_params, sink) => followConsole(engine, sink))
    .call('settings.get', async () => ({ file: settings.file, settings: await settings.get(), host: hostLimits() }))
    .call('settings.update', async ({ patch }) => {
      // The same check as settings.validate (the data disk only grows), before anything is written.
      const problems = await patchProblems(settings, patch, dataDiskGiB(engine));
      if (problems.length) throw problemsError(problems);
      return settings.update(patch);
    });
  return engine;
}

const CONSOLE_BACKLOG = 5000;

/** Console lines for one reader, batched; a reader slower than the guest loses the oldest lines, counted. */
function followConsole(engine: Engine, sink: { push(b: VmConsoleBatch): Promise<void>; signal: AbortSignal }): Promise<void> {
  const queue = new DropOldestLines(CONSOLE_BACKLOG);
  return pump(sink, {
    take: () => queue.take(),
    listen: (wake) => {
      const onLine = (line: string) => {
        queue.add(line);
        wake();
      };
      engine.vm.on('console', onLine);
      return () => engine.vm.off('console', onLine);
    },
  });
}
