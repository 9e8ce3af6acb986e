import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { contract, type BerthContract } from '../contract/contract';
import { Router } from '../protocol/server';
import type { CallNames, StreamNames } from '../protocol/spec';
import { serveRouter, type Served } from '../testing/protocol-harness';

/**
 * Every parameter and input schema of Berth's contract refuses keys it does not name. A lenient schema once let
 * `registry.logout {"id": "some-container"}` through as a logout of Docker Hub: a client that sends a field the
 * agent does not know must hear so, not have it ignored.
 */

const PROBE = 'berthUnknownKey';
const callNames = Object.keys(contract.calls) as CallNames<BerthContract>[];
const streamNames = Object.keys(contract.streams) as StreamNames<BerthContract>[];

/**
 * Records that are checked field by field further in: settings.update's and settings.validate's patch go through
 * the settings validator, which is strict and names an unknown key as "is not a known setting".
 */
const RECORDS_CHECKED_DOWNSTREAM = new Set(['settings.update.patch', 'settings.validate.patch']);

interface ZodDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
  out?: z.ZodType;
  left?: z.ZodType;
  right?: z.ZodType;
  items?: z.ZodType[];
  valueType?: z.ZodType;
}
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: ZodDef } })._zod.def;

/** Every object schema inside a schema, with where it is, and every record (maps with free keys). */
function objectsIn(schema: z.ZodType, where: string, found: { where: string; kind: 'object' | 'record'; strict: boolean }[] = []) {
  const def = defOf(schema);
  switch (def.type) {
    case 'object':
      found.push({ where, kind: 'object', strict: def.catchall !== undefined && defOf(def.catchall).type === 'never' });
      for (const [key, field] of Object.entries(def.shape ?? {})) objectsIn(field, `${where}.${key}`, found);
      break;
    case 'record':
      found.push({ where, kind: 'record', strict: false });
      if (def.valueType) objectsIn(def.valueType, `${where}[]`, found);
      break;
    case 'array':
      objectsIn(def.element!, `${where}[]`, found);
      break;
    case 'union':
      def.options!.forEach((option, i) => objectsIn(option, `${where}|${i}`, found));
      break;
    case 'intersection':
      objectsIn(def.left!, where, found);
      objectsIn(def.right!, where, found);
      break;
    case 'tuple':
      def.items!.forEach((item, i) => objectsIn(item, `${where}[${i}]`, found));
      break;
    case 'pipe':
      objectsIn(def.in!, where, found);
      objectsIn(def.out!, where, found);
      break;
    default:
      if (def.innerType) objectsIn(def.innerType, where, found);
  }
  return found;
}

describe('the contract refuses unknown keys', () => {
  let served: Served<BerthContract>;
  const handlerRuns: string[] = [];

  beforeAll(async () => {
    // Handlers that only record that they ran: a schema that lets the probe through is what fails here.
    const router = new Router(contract);
    for (const name of callNames) router.call(name, async () => void handlerRuns.push(name) as never);
    for (const name of streamNames) router.stream(name, async () => void handlerRuns.push(name));
    served = await serveRouter(router, 'unix');
  });
  afterAll(() => served.close());

  it.each(callNames)('call %s', async (name) => {
    const err = await served.client.call(name, { [PROBE]: true } as never).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'bad-request', message: expect.stringContaining(`Unrecognized key: "${PROBE}"`) });
    expect(handlerRuns).not.toContain(name);
  });

  it.each(streamNames)('stream %s', async (name) => {
    const handle = served.client.open(name, { [PROBE]: true } as never, { onItem: () => {} });
    await expect(handle.done).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringContaining(`Unrecognized key: "${PROBE}"`),
    });
    expect(handlerRuns).not.toContain(name);
  });

  it('nested objects in every params and input schema are strict too', () => {
    const lenient = [
      ...callNames.flatMap((name) => objectsIn(contract.calls[name].params, name)),
      ...streamNames.flatMap((name) => objectsIn(contract.streams[name].params, name)),
      ...streamNames.flatMap((name) => {
        const input = contract.streams[name].input as z.ZodType | undefined;
        return input ? objectsIn(input, `${name} input`) : [];
      }),
    ].filter((o) => !o.strict && !RECORDS_CHECKED_DOWNSTREAM.has(o.where));
    expect(lenient.map((o) => `${o.where} (${o.kind})`)).toEqual([]);
  });

  it('stream input refuses unknown keys (containers.exec keystrokes and resizes)', () => {
    const input = contract.streams['containers.exec'].input;
    expect(input.safeParse({ data: 'ls\n' }).success).toBe(true);
    expect(input.safeParse({ data: 'ls\n', [PROBE]: 1 }).success).toBe(false);
    expect(input.safeParse({ resize: { cols: 80, rows: 24 } }).success).toBe(true);
    expect(input.safeParse({ resize: { cols: 80, rows: 24, [PROBE]: 1 } }).success).toBe(false);
  });
});
