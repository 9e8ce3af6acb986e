import { dockerContextName, type BerthPaths } from '../base/paths';
import type { SettingsStore } from '../settings/store';
import { ensureDockerContext } from './docker-context';
import { HostSocket } from './host-socket';
import type { Tunnel } from './tunnel';

export interface HostAccessOptions {
  paths: BerthPaths;
  settings: SettingsStore;
  /** Environment for the docker CLI when writing the context (tests point DOCKER_CONFIG elsewhere). */
  env?: NodeJS.ProcessEnv;
  /** Called once the socket and the context are in place (the engine re-sends its status). */
  served(): void;
}

/**
 * How the host's own docker CLI reaches the engine: `$BERTH_HOME/run/docker.sock` and the `berth` docker
 * context pointing at it. Both follow the engine's readiness (the engine calls serve() whenever it gets ready).
 */
export class HostAccess {
  private socket: HostSocket | null = null;
  private serving: Promise<void> | null = null;
  private contextDone: Promise<void> | null = null;

  constructor(private readonly o: HostAccessOptions) {}

  get socketPath(): string | null {
    return this.socket ? this.socket.socketPath : null;
  }

  /** docker CLI connections open right now (a request may be waiting in the guest). */
  get openConnections(): number {
    return this.socket?.openConnections ?? 0;
  }

  /** Serves the host socket through the tunnel (once; again after close()), then makes sure of the context. */
  serve(tunnel: Tunnel, sharedFolders: () => string[] | null): Promise<void> {
    if (this.socket) return Promise.resolve();
    return (this.serving ??= (async () => {
      const sock = new HostSocket(this.o.paths.dockerSocket, tunnel, undefined, sharedFolders);
      await sock.listen();
      this.socket = sock;
      await this.ensureContext();
      this.o.served();
    })().finally(() => (this.serving = null)));
  }

  /** The docker context for the host socket, once per agent (and again after a failure). */
  ensureContext(): Promise<void> {
    return (this.contextDone ??= (async () => {
      const settings = await this.o.settings.get().catch(() => null);
      if (!settings?.dockerContext) return void (this.contextDone = null);
      await ensureDockerContext(this.o.paths.dockerSocket, this.o.env ?? process.env, dockerContextName(this.o.paths.home)).catch(() => {
        this.contextDone = null;
      });
    })());
  }

  async close(): Promise<void> {
    const sock = this.socket;
    this.socket = null;
    await sock?.close();
  }
}
