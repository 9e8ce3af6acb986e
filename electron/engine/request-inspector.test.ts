import { describe, expect, it } from 'vitest';
import { RequestInspector, parseRequestHead, type InspectorOptions } from './request-inspector';

/** Feeds `input` in pieces of `step` bytes; returns what went on to the engine and what was answered directly. */
async function run(input: string, step: number, o: Partial<InspectorOptions> = {}) {
  const replies: { text: string; end: boolean }[] = [];
  const judged: string[] = [];
  const ins = new RequestInspector({
    holdBody: (h) => h.target.startsWith('/hold'),
    judge: (_h, body) => {
      judged.push(body.toString());
      return body.includes('bad') ? 'refused: bad' : null;
    },
    reply: (text, end) => replies.push({ text, end }),
    ...o,
  });
  const out: Buffer[] = [];
  ins.on('data', (d: Buffer) => out.push(d));
  const done = new Promise((r) => ins.on('end', r));
  const bytes = Buffer.from(input, 'latin1');
  for (let i = 0; i < bytes.length; i += step) ins.write(bytes.subarray(i, i + step));
  ins.end();
  await done;
  return { forwarded: Buffer.concat(out).toString('latin1'), replies, judged };
}

const get = (p: string) => `GET ${p} HTTP/1.1\r\nHost: docker\r\n\r\n`;
const post = (p: string, body: string, extra = '') =>
  `POST ${p} HTTP/1.1\r\nHost: docker\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${extra}\r\n${body}`;
const chunked = (p: string, pieces: string[], trailer = '') =>
  `POST ${p} HTTP/1.1\r\nHost: docker\r\nTransfer-Encoding: chunked\r\n\r\n` +
  pieces.map((c) => `${c.length.toString(16)};ext=1\r\n${c}\r\n`).join('') +
  `0\r\n${trailer}\r\n`;

describe('RequestInspector', () => {
  const stream = get('/_ping') + post('/build', 'tar bytes \r\n\r\n GET / HTTP/1.1') + chunked('/load', ['abc', 'GET /x HTTP/1.1\r\n\r\n']) + get('/events');

  it('passes a keep-alive sequence of requests through unchanged, however the bytes are split', async () => {
    for (const step of [1, 2, 7, 64, 100_000]) {
      const r = await run(stream, step);
      expect(r.forwarded, `step ${step}`).toBe(stream);
      expect(r.replies).toEqual([]);
    }
  });

  it('holds a picked body, then forwards it unchanged when the judge lets it pass', async () => {
    const input = get('/a') + post('/hold/create', '{"ok":1}') + chunked('/hold/create', ['{"ok"', ':2}'], 'X-T: 1\r\n') + get('/b');
    for (const step of [1, 5, 4096]) {
      const r = await run(input, step);
      expect(r.forwarded).toBe(input);
      expect(r.judged).toEqual(['{"ok":1}', '{"ok":2}']);
    }
  });

  it('refuses a judged request: nothing of it goes on, a 400 goes back, and the next request still flows', async () => {
    const input = post('/hold/create', '{"bad":1}') + get('/after');
    for (const step of [1, 3, 4096]) {
      const r = await run(input, step);
      expect(r.forwarded).toBe(get('/after'));
      expect(r.replies).toHaveLength(1);
      expect(r.replies[0].end).toBe(false);
      expect(r.replies[0].text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
      expect(r.replies[0].text.endsWith('\r\n\r\n{"message":"refused: bad"}')).toBe(true);
    }
  });

  it('closes after a refusal the client asked to close with, and answers Expect: 100-continue itself', async () => {
    const r = await run(post('/hold/c', 'bad', 'Connection: close\r\nExpect: 100-continue\r\n'), 4096);
    expect(r.replies.map((x) => [x.text.split('\r\n')[0], x.end])).toEqual([
      ['HTTP/1.1 100 Continue', false],
      ['HTTP/1.1 400 Bad Request', true],
    ]);
  });

  it('goes raw after an upgrade or a hijacking endpoint: later bytes are not parsed', async () => {
    const upgrade = post('/v1.45/exec/abc/start', '{"Tty":false}', 'Connection: Upgrade\r\nUpgrade: tcp\r\n') + post('/hold/create', 'bad');
    expect((await run(upgrade, 3)).forwarded).toBe(upgrade);
    const hijack = post('/containers/abc/attach?stream=1', '') + 'stdin bytes: ' + post('/hold/create', 'bad');
    const r = await run(hijack, 3);
    expect(r.forwarded).toBe(hijack);
    expect(r.judged).toEqual([]);
  });

  it('leaves what it cannot frame to the engine, untouched', async () => {
    for (const junk of ['NOT HTTP\r\n\r\nmore', 'POST /hold HTTP/1.1\r\nContent-Length: x\r\n\r\nbad', 'POST /hold HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\nbad']) {
      const r = await run(junk, 2);
      expect(r.forwarded).toBe(junk);
      expect(r.replies).toEqual([]);
    }
  });

  it('passes a held body on unjudged once it outgrows the limit, and a truncated one at the end', async () => {
    const big = post('/hold/create', 'bad'.repeat(100));
    expect((await run(big, 50, { maxHeldBytes: 64 })).forwarded).toBe(big);
    const cut = big.slice(0, -10);
    expect((await run(cut, 50)).forwarded).toBe(cut);
  });
});

describe('parseRequestHead', () => {
  it('reads method, target and headers (case-insensitive names, repeats joined)', () => {
    expect(parseRequestHead('POST /v1.45/containers/create?name=a HTTP/1.1\r\nHost: d\r\nX-A: 1\r\nx-a: 2')).toEqual({
      method: 'POST',
      target: '/v1.45/containers/create?name=a',
      headers: { host: 'd', 'x-a': '1, 2' },
    });
    expect(parseRequestHead('GET / HTTP/2')).toBeNull();
    expect(parseRequestHead('GET / HTTP/1.1\r\nbad header')).toBeNull();
  });
});
