import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { prepareBuildContext } from './build-context';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, string | null>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ctx-'));
  dirs.push(dir);
  for (const [f, content] of Object.entries(files)) {
    const p = path.join(dir, f);
    if (content === null) fs.mkdirSync(p, { recursive: true });
    else {
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, content);
    }
  }
  return dir;
}

/** The tar the engine would get, unpacked by GNU tar: every path in it (folders end in /), with file contents. */
async function tarFiles(stream: NodeJS.ReadableStream): Promise<Record<string, string>> {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ctx-out-'));
  dirs.push(out);
  const tar = spawn('tar', ['-x', '-C', out], { stdio: ['pipe', 'ignore', 'inherit'] });
  stream.pipe(tar.stdin);
  await new Promise((resolve) => tar.on('close', resolve));
  const files: Record<string, string> = {};
  for (const e of fs.readdirSync(out, { recursive: true, withFileTypes: true })) {
    const rel = path.relative(out, path.join(e.parentPath, e.name));
    if (e.isDirectory()) {
      if (!fs.readdirSync(path.join(out, rel)).length) files[`${rel}/`] = '';
    } else files[rel] = fs.readFileSync(path.join(out, rel), 'utf8');
  }
  return files;
}

describe('build context', () => {
  it('leaves out what .dockerignore excludes, with Docker\'s rules (root-anchored globs, folders, exceptions)', async () => {
    const dir = folder({
      Dockerfile: 'FROM scratch\n',
      '.dockerignore': '# build output\nnode_modules\n*.log\n!keep.log\ndocs\n!docs/README.md\n**/*.tmp\n',
      'app.js': 'code',
      'error.log': 'x',
      'keep.log': 'kept',
      'src/deep.log': 'not at the root: kept',
      'src/a.tmp': 'x',
      'node_modules/dep/index.js': 'x',
      'docs/guide.md': 'x',
      'docs/README.md': 'readme',
      empty: null,
    });
    const ctx = prepareBuildContext(dir);
    expect(ctx.dockerfile).toBe('Dockerfile');
    expect(ctx.entries).toEqual(['.dockerignore', 'Dockerfile', 'app.js', 'docs/README.md', 'empty', 'keep.log', 'src/deep.log']);
    const files = await tarFiles(ctx.tar());
    expect(Object.keys(files).sort()).toEqual(['.dockerignore', 'Dockerfile', 'app.js', 'docs/README.md', 'empty/', 'keep.log', 'src/deep.log']);
    expect(files['docs/README.md']).toBe('readme');
  });

  it('always sends the Dockerfile and .dockerignore, even when .dockerignore names them (as the docker CLI does)', () => {
    const dir = folder({ 'build/Dockerfile.prod': 'FROM scratch\n', '.dockerignore': 'build\n.dockerignore\n', 'a.txt': 'a' });
    const ctx = prepareBuildContext(dir, 'build/Dockerfile.prod');
    expect(ctx.dockerfile).toBe('build/Dockerfile.prod');
    expect(ctx.entries).toEqual(['.dockerignore', 'a.txt', 'build/Dockerfile.prod']);
  });

  it('refuses a missing folder, a file, a relative path, a missing Dockerfile and one outside the folder, saying what to do', () => {
    const dir = folder({ 'a.txt': 'a' });
    expect(() => prepareBuildContext(path.join(dir, 'nope'))).toThrow(expect.objectContaining({ code: 'not-found', message: `The build folder ${dir}/nope does not exist` }));
    expect(() => prepareBuildContext(path.join(dir, 'a.txt'))).toThrow(/is a file, not a folder/);
    expect(() => prepareBuildContext('project')).toThrow(/must be an absolute path/);
    expect(() => prepareBuildContext(dir)).toThrow(expect.objectContaining({ message: `There is no Dockerfile at ${dir}/Dockerfile`, hint: expect.stringContaining('relative to the build folder') }));
    expect(() => prepareBuildContext(dir, '../Dockerfile')).toThrow(/outside the build folder/);
  });
});
