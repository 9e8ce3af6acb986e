import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { pruneSupersededImages } from './cache-prune';

let cache = '';
afterEach(() => fs.rmSync(cache, { recursive: true, force: true }));

function image(name: string, manifest: object | string | null): void {
  fs.mkdirSync(path.join(cache, name), { recursive: true });
  fs.writeFileSync(path.join(cache, name, 'root.squashfs'), 'x');
  if (manifest !== null) {
    fs.writeFileSync(path.join(cache, name, 'manifest.json'), typeof manifest === 'string' ? manifest : JSON.stringify(manifest));
  }
}

it('removes older images of the same arch and variant, and nothing else', async () => {
  cache = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-prune-'));
  image('aaaaaaaaaaaaaaaa', { arch: 'amd64', variant: 'berth' }); // current
  image('bbbbbbbbbbbbbbbb', { arch: 'amd64', variant: 'berth' }); // superseded
  image('cccccccccccccccc', { arch: 'amd64', variant: 'systemd' }); // the benchmark's image
  image('dddddddddddddddd', { arch: 'arm64', variant: 'berth' }); // another architecture
  image('eeeeeeeeeeeeeeee', '{ not json'); // unreadable: not provably ours
  image('.build-aaaaaaaaaaaaaaaa-x1', { arch: 'amd64', variant: 'berth' }); // a build in progress
  fs.writeFileSync(path.join(cache, 'aaaaaaaaaaaaaaaa.lock'), '1');

  const removed = await pruneSupersededImages(cache, { hash: 'aaaaaaaaaaaaaaaa', arch: 'amd64', variant: 'berth' });

  expect(removed).toEqual(['bbbbbbbbbbbbbbbb']);
  expect(fs.readdirSync(cache).sort()).toEqual([
    '.build-aaaaaaaaaaaaaaaa-x1', 'aaaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaaa.lock', 'cccccccccccccccc', 'dddddddddddddddd',
    'eeeeeeeeeeeeeeee',
  ]);
});

it('treats a missing cache directory as empty', async () => {
  cache = path.join(os.tmpdir(), `berth-prune-missing-${process.pid}`);
  expect(await pruneSupersededImages(cache, { hash: 'aaaaaaaaaaaaaaaa', arch: 'amd64', variant: 'berth' })).toEqual([]);
});
