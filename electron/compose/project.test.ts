import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkComposeFile } from './project';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-compose-file-'));
const shared = path.join(tmp, 'shared');
const app = path.join(shared, 'app');
fs.mkdirSync(app, { recursive: true });
fs.writeFileSync(path.join(app, 'docker-compose.yml'), 'services: {}\n');
const outside = path.join(tmp, 'outside');
fs.mkdirSync(outside);
fs.writeFileSync(path.join(outside, 'compose.yaml'), 'services: {}\n');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('which compose files Berth runs', () => {
  it('a file in a shared folder, or its project folder, which stands for the compose file in it', () => {
    expect(checkComposeFile(path.join(app, 'docker-compose.yml'), [shared])).toBe(path.join(app, 'docker-compose.yml'));
    expect(checkComposeFile(`${app}/`, [shared])).toBe(path.join(app, 'docker-compose.yml'));
  });

  it('refuses, saying what to do: relative paths, missing files, folders without one, unshared folders, no VM', () => {
    expect(() => checkComposeFile('app/compose.yaml', [shared])).toThrow(/not an absolute path/);
    expect(() => checkComposeFile(path.join(app, 'nope.yaml'), [shared])).toThrow(/does not exist/);
    expect(() => checkComposeFile(shared, [shared])).toThrow(/has no compose file/);
    expect(() => checkComposeFile(path.join(outside, 'compose.yaml'), [shared])).toThrow(
      /is not shared with the Berth VM.*Settings > Shared folders/,
    );
    expect(() => checkComposeFile(path.join(app, 'docker-compose.yml'), null)).toThrow(/VM is not running/);
  });
});
