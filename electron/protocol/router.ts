import type { z } from 'zod';
import { BerthError, type ErrorInfo } from '../base/errors';
import type { Connection } from './connection';
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

/**
 * Which handler serves which contract entry, and how a handler sees one request. The per-connection protocol
 * (ids, credit, queues) lives in session.ts; this file knows nothing of connections.
 */
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

export type CallHandler = (params: unknown, ctx: RequestContext) => Promise<unknown>;
export type StreamHandler = (params: unknown, sink: StreamSink<unknown, unknown>) => Promise<void> | void;

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

const MAX_DETAILS_CHARS = 1000;

export function parseOrThrow(schema: z.ZodType, value: unknown, what: string): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ');
  // A frame full of unknown keys must not become an error message as large as the frame.
  const shown = details.length > MAX_DETAILS_CHARS ? `${details.slice(0, MAX_DETAILS_CHARS)}…` : details;
  throw new BerthError('bad-request', `Invalid ${what}: ${shown}`, 'Fix the named fields (a client and an agent of different versions can disagree on them).');
}

