import { z } from 'zod';

/**
 * The wire format, identical on the unix socket (one JSON frame per line) and the WebSocket (one frame per
 * message). Ids are chosen by the client and name one call or one stream for the life of the connection.
 *
 * Streams use credit-based flow control: the client opens with a window of items it is ready to take and sends
 * more credit as it consumes them, so a fast producer (logs, terminal output) can never flood a slow client.
 */
const id = z.number().int().nonnegative();

export const clientFrame = z.discriminatedUnion('type', [
  z.object({ type: z.literal('call'), id, method: z.string().max(100), params: z.unknown() }),
  z.object({
    type: z.literal('open'),
    id,
    stream: z.string().max(100),
    params: z.unknown(),
    window: z.number().int().min(1).max(10_000),
  }),
  z.object({ type: z.literal('credit'), id, n: z.number().int().min(1).max(10_000) }),
  z.object({ type: z.literal('input'), id, data: z.unknown() }),
  z.object({ type: z.literal('cancel'), id }),
]);
export type ClientFrame = z.infer<typeof clientFrame>;

export const errorInfo = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  retryAfter: z.number().optional(),
});

export type ServerFrame =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; error: z.infer<typeof errorInfo> }
  | { type: 'item'; id: number; item: unknown }
  | { type: 'end'; id: number; error?: z.infer<typeof errorInfo> };

/** Largest frame either side accepts; bigger ones are a bug or an attack. */
export const MAX_FRAME_BYTES = 8 * 1024 * 1024;
