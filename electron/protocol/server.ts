import type { Connection } from './connection';
import type { Router } from './router';
import { ProtocolSession } from './session';
import type { ContractShape } from './spec';

export { Router, type RequestContext, type StreamSink } from './router';

/** Serves one router on any number of connections; the same code for the unix socket and the WebSocket. */
export class RpcServer<C extends ContractShape> {
  constructor(
    private readonly router: Router<C>,
    private readonly log: (message: string) => void = () => {},
  ) {}

  attach(conn: Connection): void {
    new ProtocolSession(this.router, conn, this.log);
  }
}
