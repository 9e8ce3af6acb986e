import type { z } from 'zod';
import { BerthError, type ErrorInfo } from '../base/errors';
import type { Connection } from './connection';
import { clientFrame, MAX_FRAME_BYTES, type ServerFrame } from './frames';
import type {
  CallNames,
  CallParams,
  CallResult,
  ContractShape,
  StreamItem,
  StreamNames,
  StreamParams,
  StreamWriteParsed,
} from './spec';

export interface RequestContext {
  /** Aborted when the client cancels or disconnects. */
  signal: AbortSignal;
  transport: Connection['transport'];
}

export interface StreamSink<T, I> extends RequestContext {
  /**
   * Sends one item. Resolves once the client has credit for more and the connection's queue is short, so a
   * producer that awaits push() is paced by its slowest reader. Rejects with code 'cancelled' when the stream ends.
   */
  push(item: T): Promise<void>;
  /** Receives what the client writes into the stream (validated against the contract's input schema). */
  onInput(handler: (input: I) => void): void;
}

type CallHandler = (params: unknown, ctx: RequestContext) => Promise<unknown>;
type StreamHandler = (params: unknown, sink: StreamSink<unknown, unknown>) => Promise<void> | void;

/** Bytes queued on one connection above which stream producers wait. */
const HIGH_WATER_BYTES = 1024 * 1024;

export class Router<C extends ContractShape> {
  private readonly calls = new Map<string, CallHandler>();
  private readonly streams = new Map<string, StreamHandler>();

  constructor(readonly contract: C) {}

  call<K extends CallNames<C>>(
    name: K,
    handler: (params: CallParams<C, K>, ctx: RequestContext) => Promise<CallResult<C, K>>,
  ): this {
    if (!(name in this.contract.calls)) throw new Error(`${name} is not in the contract`);
    this.calls.set(name, handler as CallHandler);
    return this;
  }

  stream<K extends StreamNames<C>>(
    name: K,
    handler: (params: StreamParams<C, K>, sink: StreamSink<StreamItem<C, K>, StreamWriteParsed<C, K>>) => Promise<void> | void,
  ): this {
    if (!(name in this.contract.streams)) throw new Error(`${name} is not in the contract`);
    this.streams.set(name, handler as StreamHandler);
    return this;
  }

  /** @internal */
  findCall(name: string): { handler: CallHandler; schema: z.ZodType } {
    const handler = this.calls.get(name);
    if (!handler) throw new BerthError('bad-request', `Unknown call "${name}"`, 'Update the client and the agent to the same version.');
    return { handler, schema: this.contract.calls[name].params };
  }

  /** @internal */
  findStream(name: string): { handler: StreamHandler; schema: z.ZodType; input?: z.ZodType } {
    const handler = this.streams.get(name);
    if (!handler) throw new BerthError('bad-request', `Unknown stream "${name}"`, 'Update the client and the agent to the same version.');
    const spec = this.contract.streams[name];
    return { handler, schema: spec.params, input: spec.input };
  }
}

export function toErrorInfo(err: unknown): ErrorInfo {
  if (err instanceof BerthError) return err.toInfo();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message, hint: 'This is a bug in Berth; the agent log has details.' };
}

function parseOrThrow(schema: z.ZodType, value: unknown, what: string): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  throw new BerthError('bad-request', `Invalid ${what}: ${details}`);
}

interface OpenStream {
  abort: AbortController;
  credit: number;
  creditWaiters: (() => void)[];
  inputHandler?: (input: unknown) => void;
  /** Input that arrived before the handler subscribed to it (open and first keystrokes in one packet). */
  earlyInput: unknown[];
  inputSchema?: z.ZodType;
  name: string;
}

/** Serves one router on any number of connections; the same code for the unix socket and the WebSocket. */
export class RpcServer<C extends ContractShape> {
  constructor(
    private readonly router: Router<C>,
    private readonly log: (message: string) => void = () => {},
  ) {}

  attach(conn: Connection): void {
    const streams = new Map<number, OpenStream>();
    const inflight = new Map<number, AbortController>();
    let queuedBytes = 0;
    let drainWaiters: (() => void)[] = [];
    let closed = false;

    const send = (frame: ServerFrame) => {
      if (closed) return;
      const text = JSON.stringify(frame);
      queuedBytes += text.length;
      conn.send(text, () => {
        queuedBytes -= text.length;
        if (queuedBytes < HIGH_WATER_BYTES && drainWaiters.length) {
          const waiters = drainWaiters;
          drainWaiters = [];
          waiters.forEach((w) => w());
        }
      });
    };

    const waitForRoom = async (signal: AbortSignal) => {
      while (queuedBytes >= HIGH_WATER_BYTES && !signal.aborted && !closed) {
        await new Promise<void>((resolve) => drainWaiters.push(resolve));
      }
    };

    conn.onClose(() => {
      closed = true;
      for (const s of streams.values()) s.abort.abort();
      for (const a of inflight.values()) a.abort();
      streams.clear();
      inflight.clear();
      drainWaiters.forEach((w) => w());
      drainWaiters = [];
    });

    conn.onFrame((text) => {
      if (text.length > MAX_FRAME_BYTES) {
        this.log(`closing a ${conn.transport} client: frame of ${text.length} bytes`);
        conn.close();
        return;
      }
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        this.log(`closing a ${conn.transport} client: a frame that is not JSON`);
        conn.close();
        return;
      }
      const parsed = clientFrame.safeParse(raw);
      if (!parsed.success) {
        const id = typeof (raw as { id?: unknown })?.id === 'number' ? (raw as { id: number }).id : -1;
        send({ type: 'error', id, error: { code: 'bad-request', message: 'Malformed protocol frame' } });
        return;
      }
      const frame = parsed.data;
      switch (frame.type) {
        case 'call':
          void this.runCall(frame.id, frame.method, frame.params, conn, inflight, send);
          break;
        case 'open':
          this.openStream(frame.id, frame.stream, frame.params, frame.window, conn, streams, send, waitForRoom);
          break;
        case 'credit': {
          const s = streams.get(frame.id);
          if (!s) return;
          s.credit += frame.n;
          const waiters = s.creditWaiters;
          s.creditWaiters = [];
          waiters.forEach((w) => w());
          break;
        }
        case 'input': {
          const s = streams.get(frame.id);
          if (!s) return;
          if (!s.inputSchema) {
            send({ type: 'end', id: frame.id, error: { code: 'bad-request', message: `${s.name} takes no input` } });
            s.abort.abort();
            streams.delete(frame.id);
            return;
          }
          const input = s.inputSchema.safeParse(frame.data);
          if (!input.success) {
            this.log(`${s.name}: dropped input that failed its schema`);
            return;
          }
          if (s.inputHandler) s.inputHandler(input.data);
          else if (s.earlyInput.length < 1000) s.earlyInput.push(input.data);
          break;
        }
        case 'cancel': {
          inflight.get(frame.id)?.abort();
          const s = streams.get(frame.id);
          if (s) {
            s.abort.abort();
            streams.delete(frame.id);
            s.creditWaiters.forEach((w) => w());
          }
          break;
        }
      }
    });
  }

  private async runCall(
    id: number,
    method: string,
    params: unknown,
    conn: Connection,
    inflight: Map<number, AbortController>,
    send: (f: ServerFrame) => void,
  ) {
    const abort = new AbortController();
    inflight.set(id, abort);
    try {
      const { handler, schema } = this.router.findCall(method);
      const valid = parseOrThrow(schema, params ?? {}, `parameters for ${method}`);
      const result = await handler(valid, { signal: abort.signal, transport: conn.transport });
      if (!abort.signal.aborted) send({ type: 'result', id, result: result ?? null });
    } catch (err) {
      if (!(err instanceof BerthError)) this.log(`${method} failed: ${err instanceof Error ? err.stack : String(err)}`);
      if (!abort.signal.aborted) send({ type: 'error', id, error: toErrorInfo(err) });
    } finally {
      inflight.delete(id);
    }
  }

  private openStream(
    id: number,
    name: string,
    params: unknown,
    window: number,
    conn: Connection,
    streams: Map<number, OpenStream>,
    send: (f: ServerFrame) => void,
    waitForRoom: (signal: AbortSignal) => Promise<void>,
  ) {
    let found: ReturnType<Router<C>['findStream']>;
    let valid: unknown;
    try {
      found = this.router.findStream(name);
      valid = parseOrThrow(found.schema, params ?? {}, `parameters for ${name}`);
    } catch (err) {
      send({ type: 'end', id, error: toErrorInfo(err) });
      return;
    }
    const state: OpenStream = {
      abort: new AbortController(),
      credit: window,
      creditWaiters: [],
      earlyInput: [],
      inputSchema: found.input,
      name,
    };
    streams.set(id, state);
    const signal = state.abort.signal;
    const cancelled = () => new BerthError('cancelled', `${name} was cancelled`);

    const sink: StreamSink<unknown, unknown> = {
      signal,
      transport: conn.transport,
      push: async (item) => {
        while (state.credit <= 0 && !signal.aborted) {
          await new Promise<void>((resolve) => state.creditWaiters.push(resolve));
        }
        await waitForRoom(signal);
        if (signal.aborted) throw cancelled();
        state.credit -= 1;
        send({ type: 'item', id, item });
      },
      onInput: (handler) => {
        state.inputHandler = handler;
        state.earlyInput.splice(0).forEach((input) => handler(input));
      },
    };

    Promise.resolve()
      .then(() => found.handler(valid, sink))
      .then(
        () => {
          if (!signal.aborted) send({ type: 'end', id });
        },
        (err) => {
          if (signal.aborted) return;
          if (!(err instanceof BerthError)) this.log(`${name} failed: ${err instanceof Error ? err.stack : String(err)}`);
          send({ type: 'end', id, error: toErrorInfo(err) });
        },
      )
      .finally(() => {
        if (streams.get(id) === state) streams.delete(id);
        state.abort.abort();
      });
  }
}
