import { describe, expect, it, vi } from 'vitest';
import { prunePreview, usageByCategory } from './disk-usage';
import { DebouncedTrim, freesDiskSpace, trimGuest } from './trim';
import { scrub } from '../vm/diagnostics';

const df = {
  LayersSize: 1000,
  Images: [
    { Id: 'sha256:used', RepoTags: ['app:1'], RepoDigests: [], Size: 600, SharedSize: 100, Containers: 1 },
    { Id: 'sha256:tagged', RepoTags: ['old:1'], RepoDigests: [], Size: 300, SharedSize: 100, Containers: 0 },
    { Id: 'sha256:dangling', RepoTags: ['<none>:<none>'], RepoDigests: ['<none>@<none>'], Size: 200, SharedSize: 0, Containers: 0 },
    { Id: 'sha256:digest-only', RepoTags: [], RepoDigests: ['reg/x@sha256:1'], Size: 50, SharedSize: 0, Containers: 0 },
  ],
  Containers: [
    { Id: 'c1', Names: ['/up'], State: 'running', SizeRw: 10 },
    { Id: 'c2', Names: ['/done'], State: 'exited', SizeRw: 20 },
    { Id: 'c3', Names: ['/new'], State: 'created', SizeRw: 0 },
    { Id: 'c4', Names: ['/held'], State: 'paused', SizeRw: 5 },
  ],
  Volumes: [
    { Name: 'anon', Labels: { 'com.docker.volume.anonymous': '' }, UsageData: { Size: 40, RefCount: 0 } },
    { Name: 'named', Labels: null, UsageData: { Size: 70, RefCount: 0 } },
    { Name: 'busy', Labels: { 'com.docker.volume.anonymous': '' }, UsageData: { Size: 5, RefCount: 1 } },
  ],
  BuildCache: [
    { ID: 'b1', Size: 30, InUse: false, Shared: false },
    { ID: 'b2', Size: 8, InUse: true, Shared: false },
  ],
};

describe('what a prune would remove, by the engine’s rules', () => {
  const ids = (c: Parameters<typeof prunePreview>[1], all = false) => prunePreview(df, c, all).items.map((i) => i.id);
  it('containers: stopped ones only (not running or paused)', () => expect(ids('containers')).toEqual(['c2', 'c3']));
  it('images: dangling ones, or with all every unused one', () => {
    expect(ids('images')).toEqual(['sha256:dangling']);
    expect(ids('images', true)).toEqual(['sha256:tagged', 'sha256:dangling', 'sha256:digest-only']);
  });
  it('volumes: unused anonymous ones, or with all named ones too', () => {
    expect(ids('volumes')).toEqual(['anon']);
    expect(ids('volumes', true)).toEqual(['anon', 'named']);
  });
  it('build cache not in use', () => expect(ids('build-cache')).toEqual(['b1']));
  it('sums sizes per category', () => {
    expect(usageByCategory(df)).toEqual([
      { category: 'images', count: 4, sizeBytes: 1000, reclaimableBytes: 500 },
      { category: 'containers', count: 4, sizeBytes: 35, reclaimableBytes: 20 },
      { category: 'volumes', count: 3, sizeBytes: 115, reclaimableBytes: 110 },
      { category: 'build-cache', count: 2, sizeBytes: 38, reclaimableBytes: 30 },
    ]);
  });
});

describe('giving space back to the host', () => {
  it('reads fstrim’s report, and names its failure', async () => {
    const ok = await trimGuest(async () => ({ code: null, stdout: '/var/lib/docker: 1 GiB (1073741824 bytes) trimmed\n', stderr: '' }));
    expect(ok).toBe(1073741824);
    await expect(trimGuest(async () => ({ code: 1, stdout: '', stderr: 'fstrim: /var/lib/docker: the discard operation is not supported' }))).rejects.toThrow(
      /fstrim failed in the VM: .*not supported/,
    );
  });

  it('trims once after a burst of removals', () => {
    vi.useFakeTimers();
    const trim = vi.fn(async () => 0);
    const t = new DebouncedTrim(trim, 30_000);
    for (const ev of [{ Type: 'container', Action: 'destroy' }, { Type: 'volume', Action: 'destroy' }, { Type: 'container', Action: 'start' }]) {
      if (freesDiskSpace(ev)) t.poke();
    }
    vi.advanceTimersByTime(29_000);
    expect(trim).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1_000);
    expect(trim).toHaveBeenCalledTimes(1);
    vi.useRealTimers();
  });
});

describe('diagnostics scrubbing', () => {
  it('removes private keys, URL tokens and given secrets', () => {
    const text = 'key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nAAAAB3\n-----END OPENSSH PRIVATE KEY-----\nurl http://127.0.0.1:1/?token=abc123&x=1 pw hunter22';
    const out = scrub(text, ['hunter22']);
    expect(out).toBe('key:\n[REDACTED PRIVATE KEY]\nurl http://127.0.0.1:1/?token=[REDACTED]&x=1 pw [REDACTED]');
  });
});
