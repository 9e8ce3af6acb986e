/**
 * One client connection as the RPC layer sees it, whatever carries it. `send` reports when the frame has been
 * handed to the OS, which is what lets the server bound the bytes it keeps queued per client.
 */
export interface Connection {
  readonly transport: 'unix' | 'websocket';
  send(frame: string, written: (err?: Error | null) => void): void;
  onFrame(handler: (frame: string) => void): void;
  onClose(handler: () => void): void;
  close(): void;
}
