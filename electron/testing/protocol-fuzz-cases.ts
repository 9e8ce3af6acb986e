import { MAX_FRAME_BYTES } from '../protocol/frames';
import type { ContractShape } from '../protocol/spec';

/**
 * Malformed frames for the protocol fuzz test, each with what the agent must do about it:
 * - 'error': one typed bad-request for `replyId` (an `error` frame for calls and unreadable frames, an `end`
 *   frame for streams), and the connection stays usable;
 * - 'silent': nothing (credit, input or cancel for an id that is not open);
 * - 'close': the connection is closed (not JSON, binary, larger than a frame).
 * Generated from a seed so a failure can be replayed. No frame is ever a valid request that does something:
 * params are never missing or null (which would mean `{}`, valid for `agent.shutdown`).
 */
export interface FuzzCase {
  label: string;
  frame: string | Buffer;
  expect: 'error' | 'silent' | 'close';
  replyId?: number;
}

/** The id of the long-lived stream the fuzz test keeps open; frames that reuse it must be refused. */
export const LIVE_STREAM_ID = 1_000_000;

/** xorshift32: small, seedable, good enough to vary test input. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

export function fuzzCases(seed: number, contract: ContractShape, transport: 'unix' | 'websocket'): FuzzCase[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const int = (max: number) => Math.floor(next() * max);
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:$ éß漢😀\u0000\u0001"\\';
  const text = (max: number) => Array.from({ length: int(max) + 1 }, () => pick([...chars])).join('');
  let lastId = 0;
  const freshId = () => (lastId += 1 + int(7));

  const callNames = Object.keys(contract.calls);
  const streamNames = Object.keys(contract.streams);
  const isName = (name: string) => Object.hasOwn(contract.calls, name) || Object.hasOwn(contract.streams, name);
  // Values no params schema takes: every one is an object, and null or a missing value would mean `{}`.
  const notAnObject = () => pick<unknown>([0, -1, 1.5, 1e308, '', text(20), true, false, [], [1, 'two', {}], [{}]]);
  const unknownKey = () => `fuzz${int(1e6)}${pick(['', '_', '.', '$', ' '])}${text(8)}`;
  const junk = (): unknown => pick<unknown>([null, 0, -7, 'x', text(30), true, [], {}, { a: [1, { b: null }] }]);
  const cases: FuzzCase[] = [];
  /** A frame as JSON. */
  const add = (label: string, frame: unknown, expect: FuzzCase['expect'], replyId?: number) =>
    cases.push({ label, frame: JSON.stringify(frame), expect, replyId });
  /** A frame exactly as given: text that need not be JSON, or bytes. */
  const addRaw = (label: string, frame: string | Buffer, expect: FuzzCase['expect'], replyId?: number) =>
    cases.push({ label, frame, expect, replyId });

  // Frames of the wrong shape: no readable id means the error names id -1.
  for (const value of [0, -1, 'x', true, null, [], [1, {}], {}, { type: 'call' }]) add('not a frame', value, 'error', -1);
  const bareId = freshId();
  add('an id and nothing else', { id: bareId }, 'error', bareId);
  for (const id of [-1, 1.5, '7', null, 2 ** 60, [], {}]) add('unusable id', { type: 'call', id, method: 'agent.info', params: {} }, 'error', -1);
  for (let i = 0; i < 60; i++) {
    const id = freshId();
    const shape = pick([
      { type: pick([5, 'nope', 'CALL', '', null, 'result', 'error', 'item', 'end', 'Open']), id },
      { type: 'call', id, method: pick([5, null, [], {}, 'm'.repeat(101)]), params: notAnObject() },
      { type: 'call', id, params: {} },
      { type: 'open', id, stream: 'status.watch', params: {}, window: pick([0, -1, 10_001, 1.5, '5', null]) },
      { type: 'open', id, stream: 'status.watch', params: {} },
      { type: 'credit', id, n: pick([0, -5, 10_001, 2.5, '1']) },
    ]);
    add('malformed frame', shape, 'error', id);
  }

  // Names that are not in the contract, including ones that live on every JavaScript object.
  const oddNames = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '', ' ', 'agent.info ', 'AGENT.INFO', 'agent', 'agent.'];
  for (let i = 0; i < 220; i++) {
    const name = i < oddNames.length ? oddNames[i] : text(60);
    if (isName(name)) continue;
    const id = freshId();
    if (i % 2) add('unknown call', { type: 'call', id, method: name, params: {} }, 'error', id);
    else add('unknown stream', { type: 'open', id, stream: name, params: {}, window: 1 + int(100) }, 'error', id);
  }

  // Real names with params that are not objects, or objects with a key the contract does not name.
  for (let i = 0; i < 500; i++) {
    const id = freshId();
    const params = i % 2 ? notAnObject() : { [unknownKey()]: junk() };
    if (i % 3) add('bad call params', { type: 'call', id, method: pick(callNames), params }, 'error', id);
    else add('bad stream params', { type: 'open', id, stream: pick(streamNames), params, window: 1 + int(100) }, 'error', id);
  }

  // Ids already in flight: refused before anything else about the frame is looked at.
  for (let i = 0; i < 50; i++) {
    const id = LIVE_STREAM_ID;
    if (i % 2) add('duplicate call id', { type: 'call', id, method: pick(['agent.info', 'status.get', text(10)]), params: {} }, 'error', id);
    else add('duplicate stream id', { type: 'open', id, stream: pick(['status.watch', 'ports.watch']), params: {}, window: 10 }, 'error', id);
  }

  // Deeply nested params and input.
  for (const depth of [100, 1000, 10_000, 100_000]) {
    const id = freshId();
    addRaw(`params nested ${depth} arrays deep`, `{"type":"call","id":${id},"method":"${pick(callNames)}","params":${'['.repeat(depth)}${']'.repeat(depth)}}`, 'error', id);
    const id2 = freshId();
    addRaw(`params nested ${depth} objects deep`, `{"type":"call","id":${id2},"method":"${pick(callNames)}","params":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`, 'error', id2);
    addRaw(`input nested ${depth} deep to no stream`, `{"type":"input","id":${freshId()},"data":${'['.repeat(depth)}${']'.repeat(depth)}}`, 'silent');
  }

  // Large but within a frame: answered like any other.
  const bigId = freshId();
  add('a 7 MiB call of an unknown method', { type: 'call', id: bigId, method: 'no.such', params: { blob: 'x'.repeat(7 * 1024 * 1024) } }, 'error', bigId);

  // About ids that are not open (or fine for the live stream): nothing to say.
  for (let i = 0; i < 150; i++) {
    const id = freshId();
    const frame = pick<unknown>([
      { type: 'cancel', id },
      { type: 'cancel', id, extra: junk() },
      { type: 'credit', id, n: 1 + int(10_000) },
      { type: 'credit', id: LIVE_STREAM_ID, n: 1 + int(100) },
      { type: 'input', id, data: junk() },
    ]);
    add('frame for an id that is not open', frame, 'silent');
  }

  // Frames that end the connection.
  const notJson = ['{', '{"type":', 'nul', "{'type':'call'}", 'undefined', '[1,]', '{"a":1}}', ' ', 'NaN', '\u0000', '{"type":"call","id":1,"method":"agent.info","params":{}'];
  for (const frame of notJson) addRaw('not JSON', frame, 'close');
  for (let i = 0; i < 10; i++) addRaw('random text', `${text(40)}{`, 'close');
  for (let i = 0; i < 10; i++) {
    // Bytes that are no UTF-8 (and no newline, which would split them on the unix socket).
    const bytes = Buffer.from(Array.from({ length: 8 + int(200) }, () => 0x80 + int(0x7f)));
    addRaw(transport === 'websocket' ? 'binary message' : 'invalid UTF-8', bytes, 'close');
  }
  for (let i = 0; i < 2; i++) {
    add('larger than a frame', { type: 'call', id: freshId(), method: 'agent.info', params: { blob: 'x'.repeat(MAX_FRAME_BYTES + 1) } }, 'close');
  }
  // Spread the closers among the rest, reproducibly.
  for (let i = cases.length - 1; i > 0; i--) {
    const j = int(i + 1);
    [cases[i], cases[j]] = [cases[j], cases[i]];
  }
  return cases;
}
