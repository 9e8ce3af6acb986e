import fs from 'node:fs';

/**
 * An append-only file that never outgrows its budget: once the next write would take it past maxBytes, the
 * file becomes FILE.1 (replacing the older one) and FILE starts empty. At most about twice maxBytes on disk,
 * with the most recent history always in FILE. Writes are synchronous, so lines from a crash are on disk.
 */
export class RotatingFile {
  private fd: number | null = null;
  private size = 0;

  constructor(
    readonly file: string,
    private readonly maxBytes: number,
    private readonly mode = 0o600,
  ) {}

  append(text: string): void {
    const bytes = Buffer.from(text);
    if (this.fd === null) this.openCurrent();
    if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.startNext();
    if (this.fd === null) return;
    fs.writeSync(this.fd, bytes);
    this.size += bytes.length;
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }

  private openCurrent(): void {
    this.fd = fs.openSync(this.file, 'a', this.mode);
    this.size = fs.fstatSync(this.fd).size;
  }

  private startNext(): void {
    this.close();
    fs.renameSync(this.file, `${this.file}.1`);
    this.openCurrent();
  }
}
