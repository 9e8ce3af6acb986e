import type { z } from 'zod';
import { BerthError, type ErrorInfo } from '../base/errors';
import type { Connection } from './connection';
import { clientFrame, MAX_FRAME_BYTES, type ClientFrame, type ServerFrame } from './frames';
import { OutgoingQueue } from './outgoing';
import { parseOrThrow, toErrorInfo, type Router, type StreamSink } from './router';
import type { ContractShape } from './spec';

/** Calls and streams one connection may have running at once: far above what the UI or CLI open, below harm. */
export const MAX_REQUESTS_IN_FLIGHT = 1000;

/** Stream input held per connection for handlers that have not subscribed yet (keystrokes typed during open). */
const MAX_EARLY_INPUT_BYTES = 4 * 1024 * 1024;

interface OpenStream {
  abort: AbortController;
  credit: number;
  creditWaiters: (() => void)[];
  inputHandler?: (input: unknown) => void;
  /** Input that arrived before the handler subscribed to it (open and first keystrokes in one packet). */
  earlyInput: { input: unknown; bytes: number }[];
  inputSchema?: z.ZodType;
  name: string;
}

function tooLarge(what: string): ErrorInfo {
  return {
    code: 'internal',
    message: `${what} is larger than a protocol frame (${MAX_FRAME_BYTES} bytes), so it was not sent`,
    hint: 'Ask for less (a smaller maxBytes, tail or page); if nothing can be asked smaller, this is a bug in Berth.',
  };
}

/** The id a malformed frame seems to carry, so the client can tell which of its requests was refused. */
function claimedId(raw: unknown): number {
  const id = (raw as { id?: unknown } | null)?.id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : -1;
}

/**
 * The protocol on one connection: ids, calls in flight, open streams with their credit, and what is queued for
 * the client. Whatever a client sends, it gets a typed error for that id or its connection is closed; nothing
 * it sends can leave work running that no one can cancel, or make the agent hold memory without bound.
 */
export class ProtocolSession<C extends ContractShape> {
  private readonly streams = new Map<number, OpenStream>();
  private readonly inflight = new Map<number, AbortController>();
  private readonly outgoing: OutgoingQueue;
  private earlyInputBytes = 0;

  constructor(
    private readonly router: Router<C>,
    private readonly conn: Connection,
    private readonly log: (message: string) => void,
  ) {
    this.outgoing = new OutgoingQueue(conn, log);
    conn.onClose(() => this.closed());
    conn.onFrame((text) => {
      try {
        this.receive(text);
      } catch (err) {
        // A bug here must cost this client its connection, never the agent its life.
        this.log(`closing a ${conn.transport} client after an error: ${err instanceof Error ? err.stack : String(err)}`);
        conn.close();
      }
    });
  }

  private closed(): void {
    this.outgoing.close();
    for (const s of this.streams.values()) {
      s.abort.abort();
      s.creditWaiters.forEach((wake) => wake());
    }
    for (const a of this.inflight.values()) a.abort();
    this.streams.clear();
    this.inflight.clear();
    this.earlyInputBytes = 0;
  }

  private receive(text: string): void {
    if (text.length > MAX_FRAME_BYTES) {
      this.log(`closing a ${this.conn.transport} client: frame of ${text.length} bytes`);
      this.conn.close();
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      this.log(`closing a ${this.conn.transport} client: a frame that is not JSON`);
      this.conn.close();
      return;
    }
    const parsed = clientFrame.safeParse(raw);
    if (!parsed.success) {
      const error: ErrorInfo = { code: 'bad-request', message: 'Malformed protocol frame', hint: 'See electron/protocol/frames.ts.' };
      this.outgoing.send({ type: 'error', id: claimedId(raw), error });
      return;
    }
    this.dispatch(parsed.data, text.length);
  }

  private dispatch(frame: ClientFrame, frameBytes: number): void {
    switch (frame.type) {
      case 'call': {
        const refusal = this.refusal(frame.id);
        if (refusal) this.outgoing.send({ type: 'error', id: frame.id, error: refusal });
        else void this.runCall(frame.id, frame.method, frame.params);
        break;
      }
      case 'open': {
        const refusal = this.refusal(frame.id);
        if (refusal) this.outgoing.send({ type: 'end', id: frame.id, error: refusal });
        else this.openStream(frame.id, frame.stream, frame.params, frame.window);
        break;
      }
      case 'credit': {
        const s = this.streams.get(frame.id);
        if (!s) return;
        s.credit += frame.n;
        const waiters = s.creditWaiters;
        s.creditWaiters = [];
        waiters.forEach((wake) => wake());
        break;
      }
      case 'input':
        this.receiveInput(frame.id, frame.data, frameBytes);
        break;
      case 'cancel': {
        this.inflight.get(frame.id)?.abort();
        const s = this.streams.get(frame.id);
        if (s) this.forgetStream(frame.id, s);
        break;
      }
    }
  }

  /** Why a new call or stream with this id cannot start, or null when it can. */
  private refusal(id: number): ErrorInfo | null {
    if (this.inflight.has(id) || this.streams.has(id)) {
      // Replacing the first would leave it running with no way to cancel it.
      return {
        code: 'bad-request',
        message: `Request id ${id} is already in use on this connection`,
        hint: 'Give every call and stream its own id (the protocol client does).',
      };
    }
    if (this.inflight.size + this.streams.size >= MAX_REQUESTS_IN_FLIGHT) {
      return {
        code: 'rate-limited',
        message: `${MAX_REQUESTS_IN_FLIGHT} calls and streams are already running on this connection`,
        hint: 'Wait for some to finish, or cancel streams you no longer read.',
      };
    }
    return null;
  }

  /** Sends a call's reply; one too large for a frame becomes an error the client can act on. */
  private reply(frame: Extract<ServerFrame, { type: 'result' | 'error' }>, method: string): void {
    if (this.outgoing.send(frame) === 'too-large') {
      this.outgoing.send({ type: 'error', id: frame.id, error: tooLarge(`The reply to ${method}`) });
    }
  }

  private async runCall(id: number, method: string, params: unknown): Promise<void> {
    const abort = new AbortController();
    this.inflight.set(id, abort);
    try {
      const { handler, schema } = this.router.findCall(method);
      const valid = parseOrThrow(schema, params ?? {}, `parameters for ${method}`);
      const result = await handler(valid, { signal: abort.signal, transport: this.conn.transport });
      if (!abort.signal.aborted) this.reply({ type: 'result', id, result: result ?? null }, method);
    } catch (err) {
      if (!(err instanceof BerthError)) this.log(`${method} failed: ${err instanceof Error ? err.stack : String(err)}`);
      if (!abort.signal.aborted) this.reply({ type: 'error', id, error: toErrorInfo(err) }, method);
    } finally {
      if (this.inflight.get(id) === abort) this.inflight.delete(id);
    }
  }

  private receiveInput(id: number, data: unknown, bytes: number): void {
    const s = this.streams.get(id);
    if (!s) return;
    if (!s.inputSchema) {
      this.outgoing.send({ type: 'end', id, error: { code: 'bad-request', message: `${s.name} takes no input` } });
      this.forgetStream(id, s);
      return;
    }
    const input = s.inputSchema.safeParse(data);
    if (!input.success) {
      this.log(`${s.name}: dropped input that failed its schema`);
      return;
    }
    if (s.inputHandler) {
      this.deliverInput(s, input.data);
    } else if (this.earlyInputBytes + bytes <= MAX_EARLY_INPUT_BYTES) {
      s.earlyInput.push({ input: input.data, bytes });
      this.earlyInputBytes += bytes;
    } else {
      this.log(`${s.name}: dropped input sent before the stream was ready (${MAX_EARLY_INPUT_BYTES} bytes already held)`);
    }
  }

  private deliverInput(s: OpenStream, input: unknown): void {
    try {
      s.inputHandler?.(input);
    } catch (err) {
      this.log(`${s.name}: its input handler failed: ${err instanceof Error ? err.stack : String(err)}`);
    }
  }

  /** Ends a stream on the server's side: its producer sees the abort and its early input is released. */
  private forgetStream(id: number, s: OpenStream): void {
    s.abort.abort();
    if (this.streams.get(id) === s) this.streams.delete(id);
    for (const held of s.earlyInput.splice(0)) this.earlyInputBytes -= held.bytes;
    const waiters = s.creditWaiters;
    s.creditWaiters = [];
    waiters.forEach((wake) => wake());
  }

  private openStream(id: number, name: string, params: unknown, window: number): void {
    let found: ReturnType<Router<C>['findStream']>;
    let valid: unknown;
    try {
      found = this.router.findStream(name);
      valid = parseOrThrow(found.schema, params ?? {}, `parameters for ${name}`);
    } catch (err) {
      this.outgoing.send({ type: 'end', id, error: toErrorInfo(err) });
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
    this.streams.set(id, state);
    const signal = state.abort.signal;
    const cancelled = () => new BerthError('cancelled', `${name} was cancelled`);

    const sink: StreamSink<unknown, unknown> = {
      signal,
      transport: this.conn.transport,
      push: async (item) => {
        while (state.credit <= 0 && !signal.aborted) {
          await new Promise<void>((resolve) => state.creditWaiters.push(resolve));
        }
        await this.outgoing.waitForRoom(signal);
        if (signal.aborted) throw cancelled();
        state.credit -= 1;
        if (this.outgoing.send({ type: 'item', id, item }) === 'too-large') {
          this.outgoing.send({ type: 'end', id, error: tooLarge(`An item of ${name}`) });
          this.forgetStream(id, state);
          throw cancelled();
        }
      },
      onInput: (handler) => {
        state.inputHandler = handler;
        for (const held of state.earlyInput.splice(0)) {
          this.earlyInputBytes -= held.bytes;
          this.deliverInput(state, held.input);
        }
      },
    };

    Promise.resolve()
      .then(() => found.handler(valid, sink))
      .then(
        () => {
          if (!signal.aborted) this.outgoing.send({ type: 'end', id });
        },
        (err) => {
          if (signal.aborted) return;
          if (!(err instanceof BerthError)) this.log(`${name} failed: ${err instanceof Error ? err.stack : String(err)}`);
          if (this.outgoing.send({ type: 'end', id, error: toErrorInfo(err) }) === 'too-large') {
            this.outgoing.send({ type: 'end', id, error: tooLarge(`The error that ended ${name}`) });
          }
        },
      )
      .finally(() => this.forgetStream(id, state));
  }
}
