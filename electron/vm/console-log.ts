import fs from 'node:fs';
import { EventEmitter } from 'node:events';

// Colour codes and cursor movement from the guest's getty/kernel would only be noise in logs and errors.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/**
 * The serial console: written to a log that rotates at maxBytes (one previous generation kept, so a boot loop
 * cannot fill the disk), split into lines for the boot-stage parser, and the last lines kept in memory for
 * error reports.
 */
export class ConsoleLog extends EventEmitter<{ line: [string] }> {
  private fd: number | null = null;
  private size = 0;
  private partial = '';
  private readonly tail: string[] = [];

  constructor(
    readonly file: string,
    private readonly maxBytes = 2 * 1024 * 1024,
    private readonly keepLines = 200,
  ) {
    super();
  }

  open(): void {
    if (this.fd !== null) return;
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = fs.fstatSync(this.fd).size;
  }

  write(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (this.fd !== null) {
      if (this.size + buf.length > this.maxBytes) this.rotate();
      fs.writeSync(this.fd, buf);
      this.size += buf.length;
    }
    const text = this.partial + buf.toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const raw of lines) this.pushLine(raw);
  }

  private pushLine(raw: string): void {
    const line = raw.replace(ANSI, '').replace(/\r/g, '');
    this.tail.push(line);
    if (this.tail.length > this.keepLines) this.tail.shift();
    this.emit('line', line);
  }

  private rotate(): void {
    if (this.fd === null) return;
    fs.closeSync(this.fd);
    fs.renameSync(this.file, `${this.file}.1`);
    this.fd = fs.openSync(this.file, 'a', 0o600);
    this.size = 0;
  }

  /** A boot marker between boots, so `berth logs` shows where each one starts. */
  mark(text: string): void {
    // Marks also land between boots, when no QEMU writes and the file is closed.
    const closed = this.fd === null;
    if (closed) this.open();
    this.write(`\n--- ${new Date().toISOString()} ${text} ---\n`);
    if (closed && this.fd !== null) {
      fs.closeSync(this.fd);
      this.fd = null;
    }
  }

  lastLines(n = 30): string[] {
    return this.tail.slice(-n);
  }

  close(): void {
    if (this.partial) this.pushLine(this.partial);
    this.partial = '';
    if (this.fd !== null) fs.closeSync(this.fd);
    this.fd = null;
  }
}

/** The last n lines of the on-disk log, including the rotated generation when the current one is short. */
export function readConsoleTail(file: string, n: number): string[] {
  const read = (f: string) => {
    try {
      return fs.readFileSync(f, 'utf8').replace(ANSI, '').replace(/\r/g, '').split('\n');
    } catch {
      return [];
    }
  };
  let lines = read(file);
  if (lines.at(-1) === '') lines.pop();
  if (lines.length < n) lines = [...read(`${file}.1`).filter((l, i, a) => i < a.length - 1 || l !== ''), ...lines];
  return lines.slice(-n);
}
