import net from 'node:net';
import { EventEmitter } from 'node:events';
import { BerthError } from '../base/errors';

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

export interface QmpEvent {
  event: string;
  data?: unknown;
}

/** QEMU's machine protocol: JSON lines on a unix socket. Replies carry our id; events arrive in between. */
export class Qmp extends EventEmitter<{ event: [QmpEvent]; close: [] }> {
  private buf = '';
  private nextId = 1;
  private readonly pending = new Map<string, Pending>();

  private constructor(private readonly sock: net.Socket) {
    super();
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => this.onData(d));
    sock.on('close', () => {
      for (const p of this.pending.values()) p.reject(new BerthError('vm', 'QMP connection closed'));
      this.pending.clear();
      this.emit('close');
    });
    sock.on('error', () => undefined);
  }

  static async connect(socketPath: string, timeoutMs = 5000): Promise<Qmp> {
    const sock = await new Promise<net.Socket>((resolve, reject) => {
      const s = net.connect(socketPath);
      const t = setTimeout(() => {
        s.destroy();
        reject(new BerthError('timeout', `QMP at ${socketPath} did not answer`));
      }, timeoutMs);
      s.once('connect', () => {
        clearTimeout(t);
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(t);
        reject(e);
      });
    });
    const qmp = new Qmp(sock);
    await qmp.execute('qmp_capabilities', undefined, timeoutMs);
    return qmp;
  }

  private onData(d: string): void {
    this.buf += d;
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl).trim();
      this.buf = this.buf.slice(nl + 1);
      if (!line) continue;
      let msg: { id?: string; return?: unknown; error?: { desc: string }; event?: string; data?: unknown; QMP?: unknown };
      try {
        msg = JSON.parse(line);
      } catch {
        continue;
      }
      if (msg.event) {
        this.emit('event', { event: msg.event, data: msg.data });
        continue;
      }
      if (msg.id === undefined) continue; // the greeting
      const p = this.pending.get(msg.id);
      if (!p) continue;
      this.pending.delete(msg.id);
      if (msg.error) p.reject(new BerthError('vm', `QMP: ${msg.error.desc}`));
      else p.resolve(msg.return);
    }
  }

  execute(command: string, args?: Record<string, unknown>, timeoutMs = 5000): Promise<unknown> {
    const id = String(this.nextId++);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.pending.delete(id);
        reject(new BerthError('timeout', `QMP ${command} got no reply in ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        resolve: (v) => {
          clearTimeout(t);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      });
      this.sock.write(JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id }) + '\n');
    });
  }

  close(): void {
    this.sock.destroy();
  }
}

/** One-shot command, for callers that hold no connection (orphan cleanup). */
async function qmpOnce(socketPath: string, command: string): Promise<void> {
  const qmp = await Qmp.connect(socketPath, 3000);
  try {
    await qmp.execute(command);
  } finally {
    qmp.close();
  }
}

/** One-shot power button press (orphan cleanup). */
export function qmpPowerdown(socketPath: string): Promise<void> {
  return qmpOnce(socketPath, 'system_powerdown');
}

/** Resumes a VM a dead agent left paused by Resource Saver (a no-op on a running one). */
export function qmpResume(socketPath: string): Promise<void> {
  return qmpOnce(socketPath, 'cont');
}
