import { describe, expect, it } from 'vitest';
import { bindSource, createBindSources, explainBindMount, explainCreateRequest } from './bind-mounts';

describe('explainBindMount', () => {
  const shares = ['/Users/ann', '/home/bob/'];

  it('accepts paths in or equal to a share, trailing slashes and dot segments included', () => {
    expect(explainBindMount('/Users/ann/src/app', shares)).toBeNull();
    expect(explainBindMount('/Users/ann', shares)).toBeNull();
    expect(explainBindMount('/Users/ann/', shares)).toBeNull();
    expect(explainBindMount('/home/bob', [{ path: '/home/bob' }])).toBeNull();
    expect(explainBindMount('/Users/ann/./x/../y/', shares)).toBeNull();
  });

  it('explains a path outside every share: the path, not shared, and both ways to share it', () => {
    expect(explainBindMount('/opt/data', shares)).toBe(
      '/opt/data is not shared with the Berth VM, so a container cannot see it. Share it in Settings > Shared folders ' +
        `(or: berth settings set 'shares=["/Users/ann","/home/bob/","/opt/data"]'), then restart the VM (berth stop, then berth start).`,
    );
  });

  it('quotes the suggested command for any path a shell could misread', () => {
    expect(explainBindMount("/srv/it's here", ['/root'])).toContain(`berth settings set 'shares=["/root","/srv/it'\\''s here"]'`);
  });

  it('compares whole path components, not string prefixes', () => {
    expect(explainBindMount('/Users/annabel/x', shares)).toMatch(/^\/Users\/annabel\/x is not shared/);
    expect(explainBindMount('/Users/ann/../bob', shares)).toMatch(/^\/Users\/bob is not shared/);
  });

  it('lets the guest\'s own paths through: they are the VM\'s, as on any remote engine', () => {
    for (const p of ['/var/run/docker.sock', '/run/docker.sock', '/proc', '/sys/fs/cgroup', '/etc/localtime', '/var/lib/docker/volumes/v/_data', '/']) {
      expect(explainBindMount(p, shares), p).toBeNull();
    }
  });

  it('refuses /tmp and /root folders unless shared: there a user means the host\'s', () => {
    expect(explainBindMount('/tmp/x', shares)).toMatch(/not shared/);
    expect(explainBindMount('/root/project', shares)).toMatch(/not shared/);
    expect(explainBindMount('/root/project', ['/root'])).toBeNull();
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
    expect(bindSource('/anonymous')).toBeNull();
    expect(bindSource('type=bind,source=/srv/x,target=/x')).toBe('/srv/x');
    expect(bindSource('type=volume,source=v,target=/x')).toBeNull();
  });
});

describe('container create bodies', () => {
  const create = (HostConfig: object) => ({ Image: 'busybox', Cmd: ['true'], HostConfig });

  it('collects Binds sources (with options) and bind Mounts, not volumes', () => {
    expect(
      createBindSources(
        create({
          Binds: ['/srv/a:/a', '/srv/b:/b:ro', 'named:/n', '/anon', '/srv/c:/c:ro,z'],
          Mounts: [
            { Type: 'bind', Source: '/srv/d', Target: '/d' },
            { Type: 'volume', Source: 'v', Target: '/v' },
            { Type: 'tmpfs', Target: '/t' },
          ],
        }),
      ),
    ).toEqual(['/srv/a', '/srv/b', 'named', '/srv/c', '/srv/d']);
  });

  it('ignores bodies of other shapes: dockerd judges those', () => {
    for (const body of [null, 'x', {}, { HostConfig: null }, { HostConfig: { Binds: 'nope', Mounts: [null, 1] } }]) {
      expect(createBindSources(body)).toEqual([]);
    }
  });

  it('refuses the first unshared bind, whichever form it comes in', () => {
    const shares = [{ tag: 'berth0', path: '/root' }];
    expect(explainCreateRequest(create({ Binds: ['/root/p:/src', '/srv/x:/x:ro'] }), shares)).toMatch(/^\/srv\/x is not shared/);
    expect(explainCreateRequest(create({ Mounts: [{ Type: 'bind', Source: '/opt/y/', Target: '/y', ReadOnly: true }] }), shares)).toMatch(/^\/opt\/y is not shared/);
  });

  it('passes shared folders, named volumes, the docker socket and creates without HostConfig', () => {
    const shares = ['/root'];
    expect(explainCreateRequest(create({ Binds: ['/root/p:/src:ro', 'data:/data', '/var/run/docker.sock:/var/run/docker.sock'] }), shares)).toBeNull();
    expect(explainCreateRequest(create({ Mounts: [{ Type: 'bind', Source: '/root/p/', Target: '/p' }] }), shares)).toBeNull();
    expect(explainCreateRequest({ Image: 'busybox' }, shares)).toBeNull();
  });
});
