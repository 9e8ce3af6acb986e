import type { Connection } from './connection';
import { MAX_FRAME_BYTES, type ServerFrame } from './frames';

/** Bytes queued on one connection above which stream producers wait for the client to read. */
export const HIGH_WATER_BYTES = 1024 * 1024;

/**
 * Bytes queued on one connection above which the client is dropped. Stream items stop at HIGH_WATER_BYTES, but
 * call replies are not paced (a client may send thousands of calls and never read), so without this bound a
 * client that never reads its socket grows the agent until it dies. Room for a few full-size replies at once.
 */
export const MAX_QUEUED_BYTES = 4 * MAX_FRAME_BYTES;

export type SendOutcome = 'sent' | 'too-large' | 'closed';

/**
 * What the server has handed to one connection and the OS has not taken yet: call replies and stream items
 * together, counted in bytes. Producers wait while it is above the high-water mark; past the hard bound the
 * connection is closed, since its client is not reading.
 */
export class OutgoingQueue {
  private queuedBytes = 0;
  private drainWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly conn: Connection,
    private readonly log: (message: string) => void,
    private readonly maxQueuedBytes = MAX_QUEUED_BYTES,
  ) {}

  /**
   * Queues one frame. 'too-large': the frame would exceed MAX_FRAME_BYTES, which the client would refuse by
   * closing the connection, so nothing was sent and the caller answers with an error instead.
   */
  send(frame: ServerFrame): SendOutcome {
    if (this.closed) return 'closed';
    const text = JSON.stringify(frame);
    if (text.length > MAX_FRAME_BYTES) return 'too-large';
    const bytes = Buffer.byteLength(text);
    this.queuedBytes += bytes;
    if (this.queuedBytes > this.maxQueuedBytes) {
      this.log(
        `dropping a ${this.conn.transport} client that does not read its replies: ${this.queuedBytes} bytes queued (limit ${this.maxQueuedBytes})`,
      );
      this.close();
      this.conn.close();
      return 'closed';
    }
    this.conn.send(text, () => {
      this.queuedBytes -= bytes;
      if (this.queuedBytes < HIGH_WATER_BYTES) this.wakeWaiters();
    });
    return 'sent';
  }

  /** Resolves once the queue is below the high-water mark (or the connection or the signal ended). */
  async waitForRoom(signal: AbortSignal): Promise<void> {
    while (this.queuedBytes >= HIGH_WATER_BYTES && !signal.aborted && !this.closed) {
      await new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    }
  }

  /** Nothing more is sent; waiting producers are released (they find their stream cancelled). */
  close(): void {
    this.closed = true;
    this.wakeWaiters();
  }

  private wakeWaiters(): void {
    if (!this.drainWaiters.length) return;
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    waiters.forEach((wake) => wake());
  }
}
