import { create } from 'zustand';
import { RpcClient, type StreamHandle, type StreamHandlers } from '../../../electron/protocol/client';
import { openWebSocket } from '../../../electron/protocol/websocket';
import type { CallInput, CallNames, CallResult, StreamInput, StreamItem, StreamNames, StreamWrite } from '../../../electron/protocol/spec';
import type { BerthContract } from '../../../electron/contract/contract';
import { BerthError } from '../../../electron/base/errors';

export type AgentClient = RpcClient<BerthContract>;

export interface ConnectionState {
  state: 'connecting' | 'open' | 'retrying' | 'no-token';
  attempt: number;
  lastError?: string;
  /** When the next attempt starts (ms since epoch), while retrying. */
  retryAt?: number;
}

export const useConnection = create<ConnectionState>(() => ({ state: 'connecting', attempt: 0 }));

interface Subscription {
  open(client: AgentClient): void;
  close(): void;
}

const MAX_BACKOFF_MS = 5000;

/**
 * Where the agent is: a fixed WebSocket URL (token included), null for none, or a function asked before every
 * attempt (the Electron bridge asks main, so a reconnect learns a restarted agent's endpoint).
 */
export type AgentUrlSource = string | null | (() => Promise<string | null>);

/**
 * The one connection to the agent. Reconnects with backoff; subscriptions survive reconnects (each is opened
 * again on the new client, and its first item is a fresh snapshot), so stores never hold a dead stream.
 */
export class AgentConnection {
  private client: AgentClient | null = null;
  private readonly subs = new Set<Subscription>();
  private stopped = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly url: AgentUrlSource,
    private readonly makeSocket: (url: string) => WebSocket = (u) => new WebSocket(u),
  ) {}

  start(): void {
    void this.connect(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.client?.close();
  }

  private async connect(attempt: number): Promise<void> {
    if (this.stopped) return;
    useConnection.setState({ state: attempt ? 'retrying' : 'connecting', attempt, retryAt: undefined });
    let url: string | null;
    try {
      url = typeof this.url === 'function' ? await this.url() : this.url;
    } catch (err) {
      this.retry(attempt + 1, `Could not learn where the agent is: ${(err as Error).message}`);
      return;
    }
    if (!url) {
      useConnection.setState({ state: 'no-token', attempt: 0 });
      return;
    }
    if (this.stopped) return;
    try {
      const transport = await openWebSocket(this.makeSocket(url));
      const client = new RpcClient<BerthContract>(transport);
      this.client = client;
      useConnection.setState({ state: 'open', attempt: 0, lastError: undefined });
      client.onClose((err) => {
        if (this.client === client) this.client = null;
        for (const s of this.subs) s.close();
        this.retry(1, err.message);
      });
      for (const s of this.subs) s.open(client);
    } catch (err) {
      this.retry(attempt + 1, (err as Error).message);
    }
  }

  private retry(attempt: number, reason: string): void {
    if (this.stopped) return;
    const delay = Math.min(MAX_BACKOFF_MS, 250 * 2 ** Math.min(attempt, 5)) * (0.8 + Math.random() * 0.4);
    useConnection.setState({ state: 'retrying', attempt, lastError: reason, retryAt: Date.now() + delay });
    this.timer = setTimeout(() => void this.connect(attempt), delay);
  }

  call<K extends CallNames<BerthContract>>(method: K, params: CallInput<BerthContract, K>, options?: { signal?: AbortSignal }): Promise<CallResult<BerthContract, K>> {
    if (!this.client) {
      return Promise.reject(new BerthError('unavailable', 'Not connected to the Berth agent', 'It reconnects by itself; check `berth status`.'));
    }
    return this.client.call(method, params, options);
  }

  /** A one-off stream on the current connection (logs, terminal, pull): ends when the connection drops. */
  open<K extends StreamNames<BerthContract>>(
    name: K,
    params: StreamInput<BerthContract, K>,
    handlers: StreamHandlers<StreamItem<BerthContract, K>>,
    options?: { window?: number },
  ): StreamHandle<StreamWrite<BerthContract, K>> {
    if (!this.client) {
      const err = new BerthError('unavailable', 'Not connected to the Berth agent', 'It reconnects by itself.');
      queueMicrotask(() => handlers.onEnd?.(err));
      const done = Promise.reject(err);
      done.catch(() => undefined);
      return { write: () => undefined, cancel: () => undefined, done };
    }
    return this.client.open(name, params, handlers, options);
  }

  /** A stream that lives as long as the app: reopened after every reconnect. Returns its unsubscribe. */
  subscribe<K extends StreamNames<BerthContract>>(
    name: K,
    params: StreamInput<BerthContract, K>,
    onItem: (item: StreamItem<BerthContract, K>) => void,
    onLost?: () => void,
  ): () => void {
    let handle: StreamHandle<unknown> | null = null;
    const sub: Subscription = {
      open: (client) => {
        handle = client.open(name, params, {
          onItem,
          onEnd: (err) => {
            // An ended watch (agent-side error) is retried on the same connection after a pause.
            if (err && err.code !== 'unavailable' && this.subs.has(sub) && this.client === client) {
              setTimeout(() => this.subs.has(sub) && this.client === client && sub.open(client), 2000);
            }
          },
        });
      },
      close: () => {
        handle?.cancel();
        handle = null;
        onLost?.();
      },
    };
    this.subs.add(sub);
    if (this.client) sub.open(this.client);
    return () => {
      this.subs.delete(sub);
      handle?.cancel();
    };
  }
}

let current: AgentConnection | null = null;

export function setConnection(c: AgentConnection): void {
  current = c;
}

/** The app's connection; views call through it rather than holding a client that a reconnect would replace. */
export function agent(): AgentConnection {
  if (!current) throw new Error('The agent connection has not been set up');
  return current;
}
