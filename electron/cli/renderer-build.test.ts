import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { rendererStaleness } from './renderer-build';

describe('is the built UI current?', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ui-build-'));
  const built = path.join(root, 'dist/renderer');
  const write = (rel: string, text: string, mtime: Date) => {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    fs.utimesSync(file, mtime, mtime);
  };
  afterEach(() => fs.rmSync(built, { recursive: true, force: true }));

  it('rebuilds when nothing is built', () => {
    expect(rendererStaleness(root, built)).toBe('not built yet');
  });

  it('rebuilds when a file the bundle includes changed, even outside renderer/', () => {
    const old = new Date(Date.now() - 60_000);
    write('electron/contract/run-spec.ts', 'export {}', old);
    write('renderer/src/main.tsx', 'export {}', old);
    write('electron/engine/engine.ts', 'export {}', new Date());
    write('dist/renderer/index.html', '<html>', new Date(Date.now() - 30_000));
    write('dist/renderer/build-inputs.json', JSON.stringify(['electron/contract/run-spec.ts', 'renderer/src/main.tsx']), old);
    // engine.ts is newer but not in the bundle: the build is current.
    expect(rendererStaleness(root, built)).toBeNull();
    write('electron/contract/run-spec.ts', 'export const x = 1', new Date());
    expect(rendererStaleness(root, built)).toBe('electron/contract/run-spec.ts changed');
  });

  it('rebuilds when an input is gone or the list is missing', () => {
    write('dist/renderer/index.html', '<html>', new Date());
    expect(rendererStaleness(root, built)).toBe('built without a list of its inputs');
    write('dist/renderer/build-inputs.json', JSON.stringify(['renderer/src/gone.ts']), new Date());
    expect(rendererStaleness(root, built)).toBe('renderer/src/gone.ts is gone');
  });
});
