import { describe, expect, it } from 'vitest';
import { MAX_FRAME_BYTES, type ClientFrame, type ServerFrame } from '../protocol/frames';
import { fileReadParams, fileWriteParams, MAX_FILE_READ_BYTES, MAX_UPLOAD_BYTES, type FileContent } from '../contract/model';

describe('containers.readFile fits one protocol frame', () => {
  it('the largest file a reply may carry, with the worst path, still fits', () => {
    // The longest path the schema takes, every character one that JSON escapes to six.
    const path = '/' + '\u0001'.repeat(4095);
    expect(fileReadParams.safeParse({ id: 'c', path, maxBytes: MAX_FILE_READ_BYTES }).success).toBe(true);
    const result: FileContent = {
      path,
      size: Number.MAX_SAFE_INTEGER,
      base64: Buffer.alloc(MAX_FILE_READ_BYTES, 0xff).toString('base64'),
      truncated: true,
    };
    const frame: ServerFrame = { type: 'result', id: Number.MAX_SAFE_INTEGER, result };
    expect(JSON.stringify(frame).length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  });

  it('refuses to ask for more than a frame can carry', () => {
    expect(fileReadParams.safeParse({ id: 'c', path: '/etc/hostname', maxBytes: MAX_FILE_READ_BYTES + 1 }).success).toBe(false);
    expect(fileReadParams.safeParse({ id: 'c', path: '/' + 'x'.repeat(4096) }).success).toBe(false);
    // Base64 alone of what the schema allows never exceeds a frame.
    expect(Math.ceil(MAX_FILE_READ_BYTES / 3) * 4).toBeLessThan(MAX_FRAME_BYTES);
  });
});

describe('containers.writeFile fits one protocol frame', () => {
  it('the largest upload the schema takes, with the worst path, fits a request frame', () => {
    const path = '/' + '\u0001'.repeat(4095);
    const params = { id: 'c'.repeat(64), path, base64: Buffer.alloc(MAX_UPLOAD_BYTES, 0xff).toString('base64') };
    expect(fileWriteParams.safeParse(params).success).toBe(true);
    const frame: ClientFrame = { type: 'call', id: Number.MAX_SAFE_INTEGER, method: 'containers.writeFile', params };
    expect(JSON.stringify(frame).length).toBeLessThanOrEqual(MAX_FRAME_BYTES);
  });

  it('refuses a bigger one with a message that says what to do instead', () => {
    const r = fileWriteParams.safeParse({ id: 'c', path: '/a', base64: Buffer.alloc(MAX_UPLOAD_BYTES + 3).toString('base64') });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toContain('docker cp');
  });
});
