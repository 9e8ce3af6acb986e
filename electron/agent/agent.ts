import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contract, type BerthStatus } from '../contract/contract';
import { Router, RpcServer } from '../protocol/server';
import { unixConnection } from '../protocol/unix';
import { writeFileAtomic } from '../base/atomic-file';
import { bindControlSocket } from './control-socket';
import type { AgentContext } from './context';
import { createLogger, type Logger } from '../base/logger';
import { Observable } from '../base/observable';
import type { BerthPaths } from '../base/paths';
import { registerServices } from './services';
import { startUiServer, type UiServer, type UiServerOptions } from './ui-server';
import { newUiToken, serveAtSavedAddress } from './ui-address';

export const RENDERER_DIST = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../dist/renderer');

export interface AgentOptions {
  paths: BerthPaths;
  /** 0 picks a free port. Unset: the port and token saved in BERTH_HOME by the last run (see ui-address.ts). */
  uiPort?: number;
  staticDir?: string;
  logger?: Logger;
  /** Begin the VM's boot while the agent is still starting (a `berth start` launched it and will ask for it). */
  bootAtLaunch?: boolean;
}

/** What agent.json says about the running agent; the Electron shell and `npm run web` read it. */
export interface AgentInfoFile {
  pid: number;
  port: number;
  token: string;
  url: string;
}

export interface RunningAgent {
  info: AgentInfoFile;
  /** Resolves when the agent has fully stopped (after a shutdown request or stop()). */
  stopped: Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the agent: binds the control socket (failing with AgentAlreadyRunning if another agent has it), serves
 * the UI and its WebSocket, registers every service. Runs in-process so tests can start real agents cheaply.
 */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { paths } = options;
  await fs.mkdir(paths.run, { recursive: true, mode: 0o700 });
  await fs.chmod(paths.home, 0o700).catch(() => {});
  const log = options.logger ?? createLogger(paths.logs);

  const router = new Router(contract);
  const rpc = new RpcServer(router, (m) => log.warn(m));
  const controlClients = new Set<net.Socket>();
  // The socket is bound first (it is the one-agent-per-home lock), but clients are served only once the agent is
  // whole: an early `agent.info` would otherwise find no UI address yet. Their bytes wait in the paused socket.
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  const control = net.createServer((socket) => {
    controlClients.add(socket);
    socket.once('close', () => controlClients.delete(socket));
    void started.then(() => !socket.destroyed && rpc.attach(unixConnection(socket)));
  });
  await bindControlSocket(control, paths.agentSocket);

  const shutdownHooks: (() => Promise<void> | void)[] = [];
  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let ui: UiServer | undefined;
  let stopping: Promise<void> | undefined;

  const stop = () =>
    (stopping ??= (async () => {
      log.info('agent stopping');
      for (const hook of shutdownHooks.reverse()) {
        try {
          await hook();
        } catch (err) {
          log.error(`shutdown hook failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
      await ui?.close();
      // Clients see the connection close: that is how `berth stop` knows the agent is gone.
      const closed = new Promise<void>((resolve) => control.close(() => resolve()));
      controlClients.forEach((socket) => socket.destroy());
      await closed;
      await fs.rm(paths.agentSocket, { force: true });
      await fs.rm(paths.agentInfo, { force: true });
      log.info('agent stopped');
      resolveStopped();
    })());

  const status = new Observable<BerthStatus>({ vm: { state: 'stopped' }, engine: { state: 'unavailable' } });
  const ctx: AgentContext = {
    paths,
    status,
    log,
    onShutdown: (hook) => shutdownHooks.push(hook),
    // Let the reply to the request that asked for it go out first.
    requestShutdown: () => setTimeout(() => void stop(), 50),
    uiUrl: () => ui?.url ?? null,
    bootAtLaunch: options.bootAtLaunch,
  };

  try {
    await registerServices(router, ctx);
    const uiOptions: Omit<UiServerOptions, 'port' | 'token'> = {
      staticDir: options.staticDir ?? RENDERER_DIST,
      onConnection: (conn) => rpc.attach(conn),
      log: (m) => log.warn(m),
    };
    const serve = (port: number, token: string) => startUiServer({ ...uiOptions, port, token });
    let token: string;
    if (options.uiPort !== undefined) {
      token = newUiToken();
      ui = await serve(options.uiPort, token);
    } else {
      ({ server: ui, token } = await serveAtSavedAddress(paths.uiAddress, serve, (m) => log.warn(m)));
    }
    const info: AgentInfoFile = { pid: process.pid, port: ui.port, token, url: ui.url };
    await writeFileAtomic(paths.agentInfo, JSON.stringify(info, null, 2) + '\n', 0o600);
    log.info(`agent ${process.pid} listening on ${paths.agentSocket} and http://127.0.0.1:${ui.port}/`);
    ready();
    return { info, stopped, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
