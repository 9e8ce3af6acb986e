import type { ClientTransport } from './client';

/**
 * The client side of the WebSocket transport, for browsers (the UI) and for Node (tests, via the `ws` package,
 * which implements the same interface).
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'error', listener: (event: unknown) => void): void;
  addEventListener(type: 'open', listener: () => void): void;
}

const OPEN = 1;

export function openWebSocket(socket: WebSocketLike): Promise<ClientTransport> {
  return new Promise((resolve, reject) => {
    let opened = false;
    socket.addEventListener('error', () => {
      if (!opened) reject(new Error('The Berth agent refused the connection'));
    });
    socket.addEventListener('open', () => {
      opened = true;
      resolve({
        send: (frame) => {
          if (socket.readyState === OPEN) socket.send(frame);
        },
        onFrame: (handler) =>
          socket.addEventListener('message', (event) => {
            if (typeof event.data === 'string') handler(event.data);
            else handler(String(event.data));
          }),
        onClose: (handler) =>
          socket.addEventListener('close', (event) =>
            handler(event.code === 1000 ? undefined : new Error(event.reason || `closed (${event.code})`)),
          ),
        close: () => socket.close(1000),
      });
    });
    socket.addEventListener('close', (event) => {
      if (!opened) reject(new Error(`The Berth agent refused the connection (${event.code} ${event.reason})`));
    });
  });
}
