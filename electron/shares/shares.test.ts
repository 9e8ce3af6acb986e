import { describe, expect, it } from 'vitest';
import { bindSource, explainBindMount, isWithin, resolveShares, shareProblem } from './shares';

describe('explainBindMount', () => {
  const shares = ['/Users/ann', '/home/bob/'];

  it('accepts paths in or equal to a share', () => {
    expect(explainBindMount('/Users/ann/src/app', shares)).toBeNull();
    expect(explainBindMount('/Users/ann', shares)).toBeNull();
    expect(explainBindMount('/home/bob', [{ path: '/home/bob' }])).toBeNull();
    expect(explainBindMount('/Users/ann/./x/../y/', shares)).toBeNull();
  });

  it('explains a path outside every share, naming the setting', () => {
    expect(explainBindMount('/opt/data', shares)).toBe(
      '/opt/data is not shared with the Berth VM; add it in Settings > Shared folders',
    );
  });

  it('compares whole path components, not string prefixes', () => {
    expect(explainBindMount('/Users/annabel/x', shares)).toMatch(/not shared/);
    expect(explainBindMount('/Users/ann/../bob', shares)).toMatch(/^\/Users\/bob is not shared/);
  });

  it('says nothing about named volumes and explains relative paths', () => {
    expect(explainBindMount('pgdata', shares)).toBeNull();
    expect(explainBindMount('./src', shares)).toMatch(/relative path/);
  });

  it('has nothing shared when there are no shares', () => {
    expect(explainBindMount('/Users/ann', [])).toMatch(/not shared/);
  });
});

describe('bindSource', () => {
  it('reads -v and --mount specs', () => {
    expect(bindSource('/opt/data:/data:ro')).toBe('/opt/data');
    expect(bindSource('pgdata:/var/lib/postgresql')).toBeNull();
    expect(bindSource('type=bind,source=/srv/x,target=/x')).toBe('/srv/x');
    expect(bindSource('type=volume,source=v,target=/x')).toBeNull();
  });
});

describe('resolveShares', () => {
  const dirs = new Set(['/home/ann', '/home/ann/proj', '/srv/data', '/root', '/tmp/t1']);
  const isDir = (p: string) => dirs.has(p);

  it('tags shares in settings order and skips nested, missing and system folders with reasons', () => {
    const r = resolveShares(['/home/ann/proj', '/srv/data', '/home/ann', '/nope', '/root', '/', '/tmp/t1'], isDir);
    expect(r.shares).toEqual([
      { tag: 'berth0', path: '/srv/data' },
      { tag: 'berth1', path: '/home/ann' },
      { tag: 'berth2', path: '/tmp/t1' },
    ]);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['/home/ann/proj']).toMatch(/already shared through \/home\/ann/);
    expect(reasons['/nope']).toMatch(/does not exist/);
    expect(reasons['/root']).toMatch(/hide the VM's own \/root\/\.ssh/);
    expect(reasons['/']).toMatch(/cannot be shared/);
  });

  it('refuses folders inside what the VM owns', () => {
    expect(shareProblem('/var/lib/docker/volumes')).toMatch(/belongs to the VM/);
    expect(shareProblem('/proc/x')).toMatch(/belongs to the VM/);
    expect(shareProblem('/Users/ann')).toBeNull();
    expect(shareProblem('/tmp/build')).toBeNull();
  });

  it('isWithin works by components', () => {
    expect(isWithin('/home/x', '/home')).toBe(true);
    expect(isWithin('/homework', '/home')).toBe(false);
    expect(isWithin('/anything', '/')).toBe(true);
  });
});
