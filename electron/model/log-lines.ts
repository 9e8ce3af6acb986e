/**
 * Turns the engine's log bytes into lines. Without a TTY the engine multiplexes stdout and stderr in frames of
 * an 8-byte header (stream, 0, 0, 0, big-endian length) and the payload; with a TTY the bytes are raw.
 */
export class LogLineSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private partial = '';

  constructor(
    private readonly multiplexed: boolean,
    private readonly onLine: (line: string) => void,
  ) {}

  push(chunk: Buffer): void {
    if (!this.multiplexed) return this.text(chunk.toString('utf8'));
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    while (this.pending.length >= 8) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < 8 + size) break;
      this.text(this.pending.subarray(8, 8 + size).toString('utf8'));
      this.pending = this.pending.subarray(8 + size);
    }
  }

  private text(s: string): void {
    const parts = (this.partial + s).split('\n');
    this.partial = parts.pop() ?? '';
    for (const p of parts) this.onLine(p.endsWith('\r') ? p.slice(0, -1) : p);
  }

  flush(): void {
    if (this.partial) this.onLine(this.partial);
    this.partial = '';
  }
}
