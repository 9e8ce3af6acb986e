import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { PullProgress } from '../contract/model';
import { forwardLayerProgress } from './layer-progress';

describe('layer progress', () => {
  it('sends the latest line per layer, the engine error, and a last batch for a closing aux line (the push digest)', async () => {
    const stream = new PassThrough();
    const batches: { updates: PullProgress[]; digest?: string }[] = [];
    let digest: string | undefined;
    const done = forwardLayerProgress(
      stream,
      { push: async (b: { updates: PullProgress[]; digest?: string }) => void batches.push(b), signal: new AbortController().signal },
      (updates) => ({ updates, ...(digest ? { digest } : {}) }),
      (line) => {
        if (line.aux?.Digest) digest = line.aux.Digest;
      },
    );
    const lines = [
      { status: 'The push refers to repository [10.0.2.2:5000/app]' },
      { status: 'Preparing', id: 'aaaaaaaaaaaa', progressDetail: {} },
      { status: 'Pushing', id: 'aaaaaaaaaaaa', progressDetail: { current: 5, total: 10 } },
      { status: 'Pushed', id: 'aaaaaaaaaaaa', progressDetail: {} },
      { status: '1: digest: sha256:abc size: 527' },
    ];
    stream.write(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    await new Promise((r) => setTimeout(r, 20));
    stream.end(JSON.stringify({ progressDetail: {}, aux: { Tag: '1', Digest: 'sha256:abc', Size: 527 } }) + '\n');
    expect(await done).toBeNull();
    expect(batches.at(-1)?.digest).toBe('sha256:abc');
    const layer = batches.flatMap((b) => b.updates).filter((u) => u.id === 'aaaaaaaaaaaa').at(-1);
    expect(layer).toEqual({ id: 'aaaaaaaaaaaa', status: 'Pushed' });
  });

  it('resolves with the engine error line', async () => {
    const stream = new PassThrough();
    const done = forwardLayerProgress(stream, { push: async () => undefined, signal: new AbortController().signal }, (updates) => ({ updates }));
    stream.end(JSON.stringify({ errorDetail: { message: 'unauthorized: authentication required' }, error: 'unauthorized' }) + '\n');
    expect(await done).toBe('unauthorized: authentication required');
  });
});
