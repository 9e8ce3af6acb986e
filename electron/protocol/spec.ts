import type { z } from 'zod';

/**
 * Building blocks of a contract. Param and input schemas are real zod values (the server validates with them);
 * results and stream items are phantom types only, so clients can import the contract's types without
 * shipping or trusting anything.
 */
export interface CallSpec<P extends z.ZodType = z.ZodType, R = unknown> {
  kind: 'call';
  params: P;
  readonly __result?: R;
}

export interface StreamSpec<P extends z.ZodType = z.ZodType, T = unknown, I extends z.ZodType | undefined = undefined> {
  kind: 'stream';
  params: P;
  /** Schema of what the client may write into the stream (terminal keystrokes); undefined: read-only. */
  input: I;
  readonly __item?: T;
}

export interface ContractShape {
  calls: Record<string, CallSpec>;
  streams: Record<string, StreamSpec<z.ZodType, unknown, z.ZodType | undefined>>;
}

/** `call<Result>()(paramsSchema)`: curried so the result type is named while the schema type is inferred. */
export const call =
  <R>() =>
  <P extends z.ZodType>(params: P): CallSpec<P, R> => ({ kind: 'call', params });

export const stream =
  <T>() =>
  <P extends z.ZodType, I extends z.ZodType | undefined = undefined>(params: P, input?: I): StreamSpec<P, T, I> => ({
    kind: 'stream',
    params,
    input: input as I,
  });

export type CallNames<C extends ContractShape> = keyof C['calls'] & string;
export type StreamNames<C extends ContractShape> = keyof C['streams'] & string;

/** What a client passes (before defaults are applied). */
export type CallInput<C extends ContractShape, K extends CallNames<C>> = z.input<C['calls'][K]['params']>;
/** What a handler receives (validated, defaults applied). */
export type CallParams<C extends ContractShape, K extends CallNames<C>> = z.output<C['calls'][K]['params']>;
export type CallResult<C extends ContractShape, K extends CallNames<C>> =
  C['calls'][K] extends CallSpec<z.ZodType, infer R> ? R : never;

export type StreamInput<C extends ContractShape, K extends StreamNames<C>> = z.input<C['streams'][K]['params']>;
export type StreamParams<C extends ContractShape, K extends StreamNames<C>> = z.output<C['streams'][K]['params']>;
export type StreamItem<C extends ContractShape, K extends StreamNames<C>> =
  C['streams'][K] extends StreamSpec<z.ZodType, infer T, z.ZodType | undefined> ? T : never;
export type StreamWrite<C extends ContractShape, K extends StreamNames<C>> =
  C['streams'][K]['input'] extends z.ZodType ? z.input<C['streams'][K]['input']> : never;
export type StreamWriteParsed<C extends ContractShape, K extends StreamNames<C>> =
  C['streams'][K]['input'] extends z.ZodType ? z.output<C['streams'][K]['input']> : never;
