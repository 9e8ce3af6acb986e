import net from 'node:net';
import type { ClientTransport } from './client';
import type { Connection } from './connection';
import { MAX_FRAME_BYTES } from './frames';

/**
 * Splits a byte stream into newline-terminated frames; JSON.stringify never emits a raw newline. Only each new
 * chunk is searched for the newline, and the pieces of an unfinished frame are joined once, when it ends: a
 * frame of many chunks costs its length, not its length squared.
 */
function onLines(socket: net.Socket, handler: (line: string) => void, tooLong: () => void): void {
  let pieces: string[] = [];
  let piecesLength = 0;
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    let start = 0;
    let newline: number;
    while ((newline = chunk.indexOf('\n', start)) >= 0) {
      const tail = chunk.slice(start, newline);
      const line = pieces.length ? pieces.join('') + tail : tail;
      pieces = [];
      piecesLength = 0;
      start = newline + 1;
      if (line) handler(line);
    }
    if (start < chunk.length) {
      pieces.push(chunk.slice(start));
      piecesLength += chunk.length - start;
      if (piecesLength > MAX_FRAME_BYTES) tooLong();
    }
  });
}

export function unixConnection(socket: net.Socket): Connection {
  return {
    transport: 'unix',
    send: (frame, written) => {
      if (socket.destroyed || !socket.writable) return written(new Error('closed'));
      socket.write(frame + '\n', written);
    },
    onFrame: (handler) => onLines(socket, handler, () => socket.destroy()),
    onClose: (handler) => {
      socket.on('close', handler);
      // 'error' always precedes 'close'; without a listener it would crash the agent.
      socket.on('error', () => {});
    },
    close: () => socket.destroy(),
  };
}

export function connectUnix(path: string): Promise<ClientTransport> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(path);
    socket.once('error', reject);
    socket.once('connect', () => {
      socket.off('error', reject);
      socket.on('error', () => {});
      resolve({
        send: (frame) => socket.write(frame + '\n'),
        onFrame: (handler) => onLines(socket, handler, () => socket.destroy()),
        onClose: (handler) => socket.on('close', () => handler()),
        close: () => socket.end(),
      });
    });
  });
}
