import { describe, expect, it } from 'vitest';
import { stripAnsi } from './ansi';

describe('stripAnsi', () => {
  it('turns coloured console output into the text a user reads', () => {
    expect(stripAnsi('\u001b[0;32m[  OK  ]\u001b[0m Started dockerd\r\n')).toBe('[  OK  ] Started dockerd\n');
    expect(stripAnsi('\u001b]0;title\u0007prompt \u001b[?25l$ ')).toBe('prompt $ ');
    expect(stripAnsi('10%\r50%\r100% done')).toBe('100% done');
    expect(stripAnsi('bell\u0007 and tab\tstay')).toBe('bell and tab\tstay');
  });
});
