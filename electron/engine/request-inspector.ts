import { Transform, type TransformCallback } from 'node:stream';

/** One HTTP/1.x request head, as the client sent it. */
export interface RequestHead {
  method: string;
  /** The request target, e.g. `/v1.45/containers/create?name=web`. */
  target: string;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
}

export interface InspectorOptions {
  /** Requests whose body is held back and judged before anything of them reaches the engine. */
  holdBody(head: RequestHead): boolean;
  /** A message refuses a held request (it never reaches the engine); null lets it through unchanged. */
  judge(head: RequestHead, body: Buffer): string | null;
  /** Writes an answer to the client directly (a refusal, or `100 Continue` for a held body). */
  reply(text: string, end: boolean): void;
  /** Bodies larger than this are passed through unjudged (a container create is a few KiB of JSON). */
  maxHeldBytes?: number;
}

const MAX_HEAD = 64 * 1024;
const CRLF = Buffer.from('\r\n');
const HEAD_END = Buffer.from('\r\n\r\n');
const TOKEN_RE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses a request head (without its final empty line); null when it is not HTTP/1.x. */
export function parseRequestHead(text: string): RequestHead | null {
  const [line, ...fields] = text.split('\r\n');
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\S+) HTTP\/1\.[01]$/.exec(line);
  if (!m) return null;
  const headers: Record<string, string> = {};
  for (const f of fields) {
    const i = f.indexOf(':');
    const name = i > 0 ? f.slice(0, i) : '';
    if (!TOKEN_RE.test(name)) return null;
    const key = name.toLowerCase();
    const value = f.slice(i + 1).trim();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  return { method: m[1], target: m[2], headers };
}

const hasToken = (value: string | undefined, token: string) =>
  (value ?? '').split(',').some((t) => t.trim().toLowerCase() === token);

/**
 * After these requests the connection is no longer HTTP: an upgrade (`Connection: Upgrade`, what the docker
 * CLI sends for attach and exec), or dockerd's attach and exec start, which hijack the connection even without
 * the header (older clients).
 */
function leavesHttp(head: RequestHead): boolean {
  if (head.method === 'CONNECT' || (head.headers.upgrade && hasToken(head.headers.connection, 'upgrade'))) return true;
  const path = head.target.split('?')[0];
  return head.method === 'POST' && /^(\/v[0-9.]+)?\/(containers\/[^/]+\/attach|exec\/[^/]+\/start)$/.test(path);
}

type State =
  | { kind: 'head' }
  | { kind: 'fixed'; left: number }
  | { kind: 'chunk-size' }
  | { kind: 'chunk-data'; left: number }
  | { kind: 'chunk-end' }
  | { kind: 'trailer' }
  | { kind: 'raw' };

/**
 * Sits between a client's socket and the engine's channel. It frames the client's HTTP/1.1 requests (head, then a
 * Content-Length or chunked body) and passes every byte through unchanged and in order, except the body of a
 * request that `holdBody` picks: that one is buffered whole, judged, then forwarded as received or refused with
 * an HTTP 400 the client shows. After a request that leaves HTTP (upgrade, hijack) or anything it cannot parse,
 * the rest of the connection is passed through raw: the engine answers malformed requests itself.
 */
export class RequestInspector extends Transform {
  private state: State = { kind: 'head' };
  private pending: Buffer = Buffer.alloc(0);
  private head: RequestHead | null = null;
  /** The held request: its bytes as received, and its decoded body. */
  private held: { raw: Buffer[]; body: Buffer[]; size: number } | null = null;
  private afterBody: 'head' | 'raw' = 'head';

  constructor(private readonly o: InspectorOptions) {
    super();
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.consume();
    done();
  }

  override _flush(done: TransformCallback): void {
    // The client half-closed mid-request: what was held goes on, so the engine sees the same truncated request.
    this.release();
    if (this.pending.length) this.push(this.pending);
    this.pending = Buffer.alloc(0);
    done();
  }

  /** Bytes of the current request go to the held buffer or straight on. */
  private forward(bytes: Buffer, bodyBytes = false): void {
    if (!bytes.length) return;
    if (!this.held) {
      this.push(bytes);
      return;
    }
    this.held.raw.push(bytes);
    if (bodyBytes) {
      this.held.body.push(bytes);
      this.held.size += bytes.length;
      if (this.held.size > (this.o.maxHeldBytes ?? 4 << 20)) this.release();
    }
  }

  private release(): void {
    const held = this.held;
    this.held = null;
    for (const b of held?.raw ?? []) this.push(b);
  }

  private takeBytes(n: number): Buffer {
    const out = this.pending.subarray(0, n);
    this.pending = this.pending.subarray(n);
    return out;
  }

  private consume(): void {
    while (this.pending.length) {
      const s = this.state;
      if (s.kind === 'raw') {
        this.push(this.takeBytes(this.pending.length));
      } else if (s.kind === 'head') {
        if (!this.readHead()) return;
      } else if (s.kind === 'fixed' || s.kind === 'chunk-data') {
        const n = Math.min(s.left, this.pending.length);
        this.forward(this.takeBytes(n), true);
        s.left -= n;
        if (s.left === 0) {
          if (s.kind === 'fixed') this.endRequest();
          else this.state = { kind: 'chunk-end' };
        }
      } else {
        const eol = this.pending.indexOf(CRLF);
        if (eol < 0) {
          if (this.pending.length > MAX_HEAD) this.goRaw();
          return;
        }
        const line = this.pending.subarray(0, eol).toString('latin1');
        this.forward(this.takeBytes(eol + 2));
        if (s.kind === 'chunk-size') {
          const size = /^([0-9A-Fa-f]+)[ \t]*(;.*)?$/.exec(line);
          if (!size) return this.goRaw();
          const n = parseInt(size[1], 16);
          this.state = n === 0 ? { kind: 'trailer' } : { kind: 'chunk-data', left: n };
        } else if (s.kind === 'chunk-end') {
          if (line !== '') return this.goRaw();
          this.state = { kind: 'chunk-size' };
        } else if (line === '') {
          this.endRequest();
        }
      }
    }
  }

  /** Reads one request head; false when more bytes are needed. */
  private readHead(): boolean {
    // Stray CRLFs between requests are allowed (RFC 9112 2.2).
    while (this.pending.subarray(0, 2).equals(CRLF)) this.push(this.takeBytes(2));
    const end = this.pending.indexOf(HEAD_END);
    if (end < 0) {
      if (this.pending.length > MAX_HEAD) this.goRaw();
      return false;
    }
    const headBytes = this.takeBytes(end + 4);
    const head = parseRequestHead(headBytes.subarray(0, end).toString('latin1'));
    if (!head) {
      this.push(headBytes);
      this.goRaw();
      return true;
    }
    this.head = head;
    const te = head.headers['transfer-encoding'];
    const length = head.headers['content-length'];
    if (te !== undefined && !/(^|,)\s*chunked\s*$/i.test(te)) {
      // A request body framed by neither: only the engine can say what it makes of it.
      this.push(headBytes);
      this.goRaw();
      return true;
    }
    if (te === undefined && length !== undefined && !/^\d+$/.test(length)) {
      this.push(headBytes);
      this.goRaw();
      return true;
    }
    this.afterBody = leavesHttp(head) ? 'raw' : 'head';
    if (this.afterBody === 'raw') {
      // The body (e.g. exec start's JSON) and the stream after it go on untouched.
      this.push(headBytes);
      this.goRaw();
      return true;
    }
    const bodyLength = te !== undefined ? -1 : Number(length ?? 0);
    if (bodyLength !== 0 && this.o.holdBody(head)) {
      this.held = { raw: [], body: [], size: 0 };
      // A client that waits for `100 Continue` before sending the body would otherwise wait for a held head.
      if (hasToken(head.headers.expect, '100-continue')) this.o.reply('HTTP/1.1 100 Continue\r\n\r\n', false);
    }
    this.forward(headBytes);
    if (bodyLength === -1) this.state = { kind: 'chunk-size' };
    else if (bodyLength > 0) this.state = { kind: 'fixed', left: bodyLength };
    else this.endRequest();
    return true;
  }

  private endRequest(): void {
    const head = this.head;
    const held = this.held;
    this.state = { kind: 'head' };
    if (!held || !head) {
      this.held = null;
      return;
    }
    const message = this.o.judge(head, Buffer.concat(held.body));
    if (message === null) {
      this.release();
      return;
    }
    this.held = null;
    const body = JSON.stringify({ message });
    const close = hasToken(head.headers.connection, 'close');
    this.o.reply(
      `HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `${close ? 'Connection: close\r\n' : ''}\r\n${body}`,
      close,
    );
  }

  private goRaw(): void {
    this.release();
    this.state = { kind: 'raw' };
    if (this.pending.length) this.push(this.takeBytes(this.pending.length));
  }
}
