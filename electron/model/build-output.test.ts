import { describe, expect, it } from 'vitest';
import { BuildOutputParser } from './build-output';

describe('classic builder output', () => {
  it('turns Step lines into steps, the lines after them into that step\'s output, and an error into the failed step', () => {
    const p = new BuildOutputParser();
    const events = [
      { stream: 'Step 1/3 : FROM busybox\n' },
      { stream: ' ---> 3f57d9401f8d\n' },
      { stream: 'Step 2/3 : RUN echo hi && ex' },
      { stream: 'it 3\n ---> Running in 1a2b\n' },
      { stream: 'hi\npartial' },
      { stream: ' line\n' },
      { errorDetail: { code: 3, message: "The command '/bin/sh -c echo hi && exit 3' returned a non-zero code: 3" }, error: 'x' },
    ].flatMap((l) => p.feed(l));
    expect(events).toEqual([
      { kind: 'step', step: 1, total: 3, instruction: 'FROM busybox' },
      { kind: 'output', step: 1, text: ' ---> 3f57d9401f8d' },
      { kind: 'step', step: 2, total: 3, instruction: 'RUN echo hi && exit 3' },
      { kind: 'output', step: 2, text: ' ---> Running in 1a2b' },
      { kind: 'output', step: 2, text: 'hi' },
      { kind: 'output', step: 2, text: 'partial line' },
      { kind: 'failed', step: 2, instruction: 'RUN echo hi && exit 3', message: "The command '/bin/sh -c echo hi && exit 3' returned a non-zero code: 3" },
    ]);
    expect(p.failure?.step).toBe(2);
  });

  it('keeps the image id and reports status lines without progress bars as output', () => {
    const p = new BuildOutputParser();
    p.feed({ status: 'Pulling from library/busybox', id: 'latest' });
    expect(p.feed({ status: 'Downloading', id: 'abc', progressDetail: { current: 1, total: 2 } })).toEqual([]);
    p.feed({ aux: { ID: 'sha256:beef' } });
    expect(p.imageId).toBe('sha256:beef');
    expect(p.feed({ stream: 'no newline at the end' })).toEqual([]);
    expect(p.flush()).toEqual([{ kind: 'output', step: 0, text: 'no newline at the end' }]);
  });
});
