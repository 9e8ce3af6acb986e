import { BerthError, type ErrorInfo } from '../base/errors';
import type { ClientFrame, ServerFrame } from './frames';
import type {
  CallInput,
  CallNames,
  CallResult,
  ContractShape,
  StreamInput,
  StreamItem,
  StreamNames,
  StreamWrite,
} from './spec';

/** What carries frames for a client: a unix socket in the CLI, a WebSocket in the UI. Runs in browsers too. */
export interface ClientTransport {
  send(frame: string): void;
  onFrame(handler: (frame: string) => void): void;
  onClose(handler: (reason?: Error) => void): void;
  close(): void;
}

export interface StreamHandlers<T> {
  /** May return a promise: credit for more items is granted only once it settles. */
  onItem(item: T): void | Promise<void>;
  onEnd?(error?: BerthError): void;
}

export interface StreamHandle<W> {
  write(data: W): void;
  cancel(): void;
  /** Settles when the stream ends; rejects with the stream's error. */
  done: Promise<void>;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(err: BerthError): void;
}

interface OpenStream {
  handlers: StreamHandlers<unknown>;
  window: number;
  consumed: number;
  queue: Promise<void>;
  finish(error?: BerthError): void;
}

const DEFAULT_WINDOW = 64;

export class RpcClient<C extends ContractShape> {
  private nextId = 1;
  private readonly calls = new Map<number, PendingCall>();
  private readonly streams = new Map<number, OpenStream>();
  private closedWith?: BerthError;
  private readonly closeListeners = new Set<(err: BerthError) => void>();

  constructor(private readonly transport: ClientTransport) {
    transport.onFrame((text) => this.receive(text));
    transport.onClose((reason) => {
      const err = new BerthError(
        'unavailable',
        `Lost the connection to the Berth agent${reason ? `: ${reason.message}` : ''}`,
        'Check that the agent is running (`berth status`).',
      );
      this.closedWith = err;
      for (const c of this.calls.values()) c.reject(err);
      for (const s of this.streams.values()) s.finish(err);
      this.calls.clear();
      this.streams.clear();
      this.closeListeners.forEach((l) => l(err));
    });
  }

  get closed(): boolean {
    return this.closedWith !== undefined;
  }

  onClose(listener: (err: BerthError) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  call<K extends CallNames<C>>(
    method: K,
    params: CallInput<C, K>,
    options: { signal?: AbortSignal } = {},
  ): Promise<CallResult<C, K>> {
    if (this.closedWith) return Promise.reject(this.closedWith);
    const id = this.nextId++;
    return new Promise<CallResult<C, K>>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.send({ type: 'call', id, method, params });
      options.signal?.addEventListener(
        'abort',
        () => {
          if (!this.calls.has(id)) return;
          this.calls.delete(id);
          this.send({ type: 'cancel', id });
          reject(new BerthError('cancelled', `${method} was cancelled`));
        },
        { once: true },
      );
    });
  }

  open<K extends StreamNames<C>>(
    name: K,
    params: StreamInput<C, K>,
    handlers: StreamHandlers<StreamItem<C, K>>,
    options: { window?: number } = {},
  ): StreamHandle<StreamWrite<C, K>> {
    const id = this.nextId++;
    const window = options.window ?? DEFAULT_WINDOW;
    let settle!: { resolve(): void; reject(err: BerthError): void };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    // Callers that only use the handlers must not see unhandled rejections.
    done.catch(() => {});
    const state: OpenStream = {
      handlers: handlers as StreamHandlers<unknown>,
      window,
      consumed: 0,
      queue: Promise.resolve(),
      finish: (error) => {
        this.streams.delete(id);
        handlers.onEnd?.(error);
        if (error) settle.reject(error);
        else settle.resolve();
      },
    };
    if (this.closedWith) {
      queueMicrotask(() => state.finish(this.closedWith));
    } else {
      this.streams.set(id, state);
      this.send({ type: 'open', id, stream: name, params, window });
    }
    return {
      done,
      write: (data) => {
        if (this.streams.has(id)) this.send({ type: 'input', id, data });
      },
      cancel: () => {
        if (!this.streams.has(id)) return;
        this.send({ type: 'cancel', id });
        state.finish();
      },
    };
  }

  close(): void {
    this.transport.close();
  }

  private send(frame: ClientFrame) {
    if (!this.closedWith) this.transport.send(JSON.stringify(frame));
  }

  private receive(text: string) {
    let frame: ServerFrame;
    try {
      frame = JSON.parse(text) as ServerFrame;
    } catch {
      return;
    }
    switch (frame.type) {
      case 'result': {
        const pending = this.calls.get(frame.id);
        this.calls.delete(frame.id);
        pending?.resolve(frame.result);
        break;
      }
      case 'error': {
        const err = BerthError.from(frame.error as ErrorInfo);
        const pending = this.calls.get(frame.id);
        if (pending) {
          this.calls.delete(frame.id);
          pending.reject(err);
        } else {
          this.streams.get(frame.id)?.finish(err);
        }
        break;
      }
      case 'item': {
        const s = this.streams.get(frame.id);
        if (!s) return;
        // Items are handled in order; credit goes back only after the handler is done with one.
        s.queue = s.queue.then(async () => {
          if (!this.streams.has(frame.id)) return;
          try {
            await s.handlers.onItem(frame.item);
          } catch (err) {
            // A failing consumer must not stall the stream or hide later items.
            console.error(err);
          } finally {
            s.consumed += 1;
            if (s.consumed >= Math.ceil(s.window / 2) && this.streams.has(frame.id)) {
              this.send({ type: 'credit', id: frame.id, n: s.consumed });
              s.consumed = 0;
            }
          }
        });
        break;
      }
      case 'end': {
        const s = this.streams.get(frame.id);
        if (!s) return;
        // Deliver items already queued before announcing the end.
        void s.queue.then(() => s.finish(frame.error ? BerthError.from(frame.error as ErrorInfo) : undefined));
        break;
      }
    }
  }
}
