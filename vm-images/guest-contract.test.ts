import { describe, expect, it } from 'vitest';
import { BOOT_STAGES, base64url, engineConfigArgs, engineConfigJson, kernelCmdline, parseConsoleLine, qemuDiskArgs } from './guest-contract';
import type { GuestImage } from './types';

const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDlV4UUs1DGKZkfpi2PkuzYAeG+/mhepDqTr0bZwLF7u user@laptop';

function decodeB64url(s: string): string {
  return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
}

describe('kernelCmdline', () => {
  it('carries the public key base64url-encoded without its comment, and the arch console', () => {
    const line = kernelCmdline({ arch: 'amd64', authorizedKey: KEY });
    expect(line).toContain('console=ttyS0');
    const enc = /berth\.key=(\S+)/.exec(line)![1];
    expect(enc).not.toMatch(/[+/= ]/);
    expect(decodeB64url(enc)).toBe(KEY.split(' ').slice(0, 2).join(' '));
    expect(kernelCmdline({ arch: 'arm64', authorizedKey: KEY })).toContain('console=ttyAMA0');
  });

  it('refuses anything that is not a public key, so no secret lands in /proc/cmdline', () => {
    expect(() => kernelCmdline({ arch: 'amd64', authorizedKey: '-----BEGIN OPENSSH PRIVATE KEY-----\nabc' })).toThrow();
    expect(() => kernelCmdline({ arch: 'amd64', authorizedKey: 'hunter2' })).toThrow();
  });

  it('url-encodes share paths and validates tags', () => {
    const line = kernelCmdline({
      arch: 'amd64',
      authorizedKey: KEY,
      shares: [{ tag: 'home', path: '/home/me/my projects,v2' }, { tag: 'tmp', path: '/tmp' }],
    });
    expect(line).toContain('berth.shares=home:%2Fhome%2Fme%2Fmy%20projects%2Cv2,tmp:%2Ftmp');
    expect(line.split(' ').filter((p) => p.startsWith('berth.shares='))).toHaveLength(1);
    expect(() => kernelCmdline({ arch: 'amd64', authorizedKey: KEY, shares: [{ tag: 'a b', path: '/x' }] })).toThrow();
    expect(() => kernelCmdline({ arch: 'amd64', authorizedKey: KEY, shares: [{ tag: 'x', path: 'rel' }] })).toThrow();
  });

  it('marks virtiofs shares; 9p stays the plain TAG:PATH the guest has always read', () => {
    const line = kernelCmdline({
      arch: 'amd64',
      authorizedKey: KEY,
      shares: [{ tag: 'berth0', path: '/a:b', transport: 'virtiofs' }, { tag: 'berth1', path: '/c', transport: '9p' }],
    });
    expect(line).toMatch(/ berth.shares=berth0:%2Fa%3Ab:virtiofs,berth1:%2Fc( |$)/);
  });

  it('passes a registry mirror only when it is a plain URL', () => {
    expect(kernelCmdline({ arch: 'amd64', authorizedKey: KEY, registryMirror: 'http://10.0.2.2:5000' }))
      .toContain('berth.mirror=http://10.0.2.2:5000');
    expect(() => kernelCmdline({ arch: 'amd64', authorizedKey: KEY, registryMirror: 'http://x/$(reboot)' })).toThrow();
  });

  it('base64url round-trips', () => {
    expect(decodeB64url(base64url('a?>~b'))).toBe('a?>~b');
  });
});

describe('parseConsoleLine', () => {
  it('reads stages, host keys, errors and power-off, also after kernel noise and CR', () => {
    expect(parseConsoleLine('berth-stage: sshd\r')).toEqual({ kind: 'stage', stage: 'sshd' });
    expect(parseConsoleLine('[   3.1] foo berth-stage: engine-ready')).toEqual({ kind: 'stage', stage: 'engine-ready' });
    const hk = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDlV4UUs1DGKZkfpi2PkuzYAeG+/mhepDqTr0bZwLF7u';
    expect(parseConsoleLine(`berth-hostkey: ${hk} berth`)).toEqual({ kind: 'hostkey', key: hk });
    expect(parseConsoleLine('berth-error: DHCP on eth0 failed')).toEqual({ kind: 'error', message: 'DHCP on eth0 failed' });
    expect(parseConsoleLine('berth-poweroff: data disk unmounted')).toEqual({ kind: 'poweroff' });
  });

  it('ignores other lines and malformed host keys', () => {
    expect(parseConsoleLine('Sent SIGTERM to all processes')).toBeNull();
    expect(parseConsoleLine('berth-hostkey: ssh-rsa AAAAB3')).toBeNull();
    expect(parseConsoleLine('berth-stage:')).toBeNull();
    expect(parseConsoleLine('berth-datadisk: clean')).toBeNull();
  });

  it('has the stages in boot order, ending with engine-ready', () => {
    expect(BOOT_STAGES[0]).toBe('kernel');
    expect(BOOT_STAGES.at(-1)).toBe('engine-ready');
    expect(BOOT_STAGES.indexOf('sshd')).toBeLessThan(BOOT_STAGES.indexOf('engine'));
  });
});

describe('qemuDiskArgs', () => {
  const image = { rootfs: '/cache/a,b/root.squashfs' } as GuestImage;
  it('puts the read-only root first and the data disk second with safe caching', () => {
    const args = qemuDiskArgs({ image, dataDisk: '/home/u/.berth/vm/data.qcow2' });
    const drives = args.filter((_, i) => args[i - 1] === '-drive');
    expect(drives[0]).toContain('readonly=on');
    expect(drives[0]).toContain('file=/cache/a,,b/root.squashfs');
    expect(drives[1]).toContain('cache=writeback');
    expect(drives[1]).toContain('discard=unmap');
    expect(drives[1]).toContain('format=qcow2');
    expect(drives[1]).not.toContain('unsafe');
    expect(args.join(' ')).toMatch(/serial=berth-root.*serial=berth-data/);
  });
});

describe('engine settings for the guest', () => {
  it('merges the user keys with what the guest allows anyway, one key each, on one line', () => {
    const json = engineConfigJson({ 'insecure-registries': ['10.0.2.2:5001', '10.0.2.2:5000'], debug: true }, { registryMirror: 'http://10.0.2.2:5000' });
    expect(json).not.toContain('\n');
    expect(JSON.parse(json)).toEqual({
      'log-level': 'warn',
      debug: true,
      'insecure-registries': ['10.0.2.2:5000', '10.0.2.2:5001'],
      'registry-mirrors': ['http://10.0.2.2:5000'],
    });
    expect(JSON.parse(engineConfigJson({ 'log-level': 'debug' }))['log-level']).toBe('debug');
  });

  it('tells the guest to read the fw_cfg file only when one is sent', () => {
    expect(kernelCmdline({ arch: 'amd64', authorizedKey: KEY })).not.toContain('berth.engine_config');
    expect(kernelCmdline({ arch: 'amd64', authorizedKey: KEY, engineConfig: true })).toContain('berth.engine_config=1');
    expect(engineConfigArgs('/home/a,b/engine-config.json')).toEqual(['-fw_cfg', 'name=opt/berth/daemon.json,file=/home/a,,b/engine-config.json']);
  });
});
