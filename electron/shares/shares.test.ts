import { describe, expect, it } from 'vitest';
import { isGuestPath, isWithin, resolveShares, shareProblem } from './shares';

describe('resolveShares', () => {
  const dirs = new Set(['/home/ann', '/home/ann/proj', '/srv/data', '/root', '/tmp/t1']);
  const isDir = (p: string) => dirs.has(p);

  it('tags shares in settings order and skips nested, missing and system folders with reasons', () => {
    const r = resolveShares(['/home/ann/proj', '/srv/data', '/home/ann', '/nope', '/', '/tmp/t1', '/etc'], isDir);
    expect(r.shares).toEqual([
      { tag: 'berth0', path: '/srv/data' },
      { tag: 'berth1', path: '/home/ann' },
      { tag: 'berth2', path: '/tmp/t1' },
    ]);
    const reasons = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
    expect(reasons['/home/ann/proj']).toMatch(/already shared through \/home\/ann/);
    expect(reasons['/nope']).toMatch(/does not exist/);
    expect(reasons['/']).toMatch(/cannot be shared/);
    expect(reasons['/etc']).toMatch(/would hide the VM's own \/etc/);
  });

  it('shares /root, the home folder of Berth run as root: the guest keeps nothing there', () => {
    expect(shareProblem('/root')).toBeNull();
    expect(resolveShares(['/root'], isDir).shares).toEqual([{ tag: 'berth0', path: '/root' }]);
    expect(shareProblem('/root/.ssh')).toBeNull();
  });

  it('refuses folders inside what the VM owns', () => {
    expect(shareProblem('/var/lib/docker/volumes')).toMatch(/belongs to the VM/);
    expect(shareProblem('/proc/x')).toMatch(/belongs to the VM/);
    expect(shareProblem('/Users/ann')).toBeNull();
    expect(shareProblem('/tmp/build')).toBeNull();
  });

  it('knows the guest\'s own paths: system folders and below, and / itself; not /tmp, /root or /home', () => {
    for (const p of ['/', '/var/run/docker.sock', '/var/lib/docker/volumes/x', '/proc', '/sys/fs/cgroup/', '/etc/localtime', '/run/x/../docker.sock']) {
      expect(isGuestPath(p), p).toBe(true);
    }
    for (const p of ['/tmp/x', '/tmp', '/root', '/root/.ssh', '/home/ann', '/srv/x', '/var', '/variable', '/etcetera']) {
      expect(isGuestPath(p), p).toBe(false);
    }
  });

  it('isWithin works by components', () => {
    expect(isWithin('/home/x', '/home')).toBe(true);
    expect(isWithin('/homework', '/home')).toBe(false);
    expect(isWithin('/anything', '/')).toBe(true);
  });
});
