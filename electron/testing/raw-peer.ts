import net from 'node:net';
import WebSocket from 'ws';

/**
 * A protocol client that sends whatever it is told, byte for byte, and reads frames as they come: what a broken
 * or hostile client looks like to the agent. Tests of the server use it where the real RpcClient would refuse
 * to misbehave.
 */
export interface RawPeer {
  /** Sends one frame as text (WebSocket text message; a line on the unix socket). */
  send(text: string): void;
  /** Sends bytes as they are: a binary WebSocket message, or raw bytes plus a newline on the unix socket. */
  sendBytes(bytes: Buffer): void;
  /** The next frame from the server, parsed; null when the connection closed first. */
  next(timeoutMs?: number): Promise<unknown>;
  /** Stops reading: the server's replies pile up in its queue and the kernel's buffers. */
  stopReading(): void;
  readonly closed: Promise<void>;
  isClosed(): boolean;
  close(): void;
}

/** Frames received and not yet taken, and whether the connection has closed. */
class FrameInbox {
  private readonly frames: unknown[] = [];
  private waiter: (() => void) | undefined;
  ended = false;
  private markClosed!: () => void;
  readonly closed = new Promise<void>((resolve) => (this.markClosed = resolve));

  push(text: string): void {
    this.frames.push(JSON.parse(text));
    this.waiter?.();
  }

  end(): void {
    this.ended = true;
    this.waiter?.();
    this.markClosed();
  }

  async next(timeoutMs: number): Promise<unknown> {
    const deadline = Date.now() + timeoutMs;
    while (!this.frames.length && !this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no frame from the server within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.waiter = undefined;
    }
    return this.frames.length ? this.frames.shift() : null;
  }
}

export function rawUnixPeer(socketPath: string): Promise<RawPeer> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath);
    const inbox = new FrameInbox();
    socket.once('close', () => inbox.end());
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      let newline: number;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        inbox.push(buffered.slice(0, newline));
        buffered = buffered.slice(newline + 1);
      }
    });
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve({
        send: (text) => void socket.write(text + '\n'),
        sendBytes: (bytes) => void socket.write(Buffer.concat([bytes, Buffer.from('\n')])),
        next: (timeoutMs = 5000) => inbox.next(timeoutMs),
        stopReading: () => socket.pause(),
        closed: inbox.closed,
        isClosed: () => inbox.ended,
        close: () => socket.destroy(),
      });
    });
  });
}

export function rawWebSocketPeer(url: string, origin?: string): Promise<RawPeer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    const inbox = new FrameInbox();
    ws.once('close', () => inbox.end());
    ws.on('message', (data) => inbox.push(data.toString()));
    ws.once('error', reject);
    ws.once('open', () => {
      ws.off('error', reject);
      ws.on('error', () => {});
      resolve({
        send: (text) => ws.send(text),
        sendBytes: (bytes) => ws.send(bytes, { binary: true }),
        next: (timeoutMs = 5000) => inbox.next(timeoutMs),
        stopReading: () => ws.pause(),
        closed: inbox.closed,
        isClosed: () => inbox.ended,
        close: () => ws.terminate(),
      });
    });
  });
}
