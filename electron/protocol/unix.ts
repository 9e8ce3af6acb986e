import net from 'node:net';
import type { ClientTransport } from './client';
import type { Connection } from './connection';
import { MAX_FRAME_BYTES } from './frames';

/** Splits a byte stream into newline-terminated frames; JSON.stringify never emits a raw newline. */
function onLines(socket: net.Socket, handler: (line: string) => void, tooLong: () => void): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line) handler(line);
    }
    if (buffered.length > MAX_FRAME_BYTES) tooLong();
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
