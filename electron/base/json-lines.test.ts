import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { onJsonLines } from './json-lines';

describe('Docker JSON-lines streams', () => {
  it('yields each document once, whatever the chunk boundaries, and skips lines that are not JSON', () => {
    const stream = new PassThrough();
    const seen: unknown[] = [];
    onJsonLines(stream, (v) => seen.push(v));
    stream.write('{"status":"pull');
    stream.write('ing"}\n\n{"id":"a"');
    stream.write('}\nnot json\n{"id":"b"}\n{"id":"c"');
    expect(seen).toEqual([{ status: 'pulling' }, { id: 'a' }, { id: 'b' }]);
    stream.write('}\n');
    expect(seen).toHaveLength(4);
  });
});
