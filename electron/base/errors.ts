/**
 * Errors that cross the protocol: a stable code a client can branch on, a message for people, and a hint that
 * says what to do next. Anything thrown that is not a BerthError reaches clients as code 'internal'.
 */
export type ErrorCode =
  | 'bad-request'
  | 'unauthorized'
  | 'not-found'
  | 'conflict'
  | 'unavailable'
  | 'cancelled'
  | 'timeout'
  | 'engine'
  | 'vm'
  | 'host-key-mismatch'
  | 'rate-limited'
  | 'offline'
  | 'internal';

export interface ErrorInfo {
  code: ErrorCode;
  message: string;
  hint?: string;
  /** Seconds after which a retry may succeed (rate limits). */
  retryAfter?: number;
}

export class BerthError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message: string, hint?: string, retryAfter?: number) {
    super(message);
    this.name = 'BerthError';
    this.code = code;
    this.hint = hint;
    this.retryAfter = retryAfter;
  }

  toInfo(): ErrorInfo {
    return { code: this.code, message: this.message, hint: this.hint, retryAfter: this.retryAfter };
  }

  static from(info: ErrorInfo): BerthError {
    return new BerthError(info.code, info.message, info.hint, info.retryAfter);
  }
}
