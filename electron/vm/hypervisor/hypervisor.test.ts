import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  AccelMemory,
  accelCandidates,
  buildQemuCommand,
  buildVfkitCommand,
  macFromSeed,
  planAccels,
  vfkitShares,
  type Accel,
  type QemuSpec,
} from './index';

function spec(accel: Accel, arch: 'amd64' | 'arm64' = 'amd64'): QemuSpec {
  return {
    arch,
    accel,
    cpus: 2,
    memoryMiB: 2048,
    kernel: '/img/vmlinux',
    initrd: '/img/initrd',
    cmdline: 'console=ttyS0 berth.key="ssh-ed25519 AAAA"',
    shares: [{ tag: 'home', path: '/Users/me' }],
    diskArgs: ['-drive', 'file=/vm/data.qcow2,if=virtio,format=qcow2'],
    serial: { kind: 'stdio' },
    qmpSocket: '/vm/qmp.sock',
    sshPort: 50022,
  };
}

function after(args: string[], flag: string): string[] {
  return args.flatMap((a, i) => (args[i - 1] === flag ? [a] : []));
}

describe('QEMU command line per accelerator', () => {
  it('kvm on Linux: host CPU, q35, x86_64 binary', () => {
    const { command, args } = buildQemuCommand(spec('kvm'), 'linux');
    expect(command).toBe('qemu-system-x86_64');
    expect(after(args, '-accel')).toEqual(['kvm']);
    expect(after(args, '-cpu')).toEqual(['host']);
    expect(after(args, '-machine')).toEqual(['q35']);
  });

  it('hvf on macOS arm64: aarch64 binary, virt board with highmem, host CPU', () => {
    const { command, args } = buildQemuCommand(spec('hvf', 'arm64'), 'darwin');
    expect(command).toBe('qemu-system-aarch64');
    expect(after(args, '-accel')).toEqual(['hvf']);
    expect(after(args, '-cpu')).toEqual(['host']);
    expect(after(args, '-machine')).toEqual(['virt,highmem=on']);
  });

  it('whpx on Windows: .exe binary and the max CPU model (whpx cannot pass host through)', () => {
    const { command, args } = buildQemuCommand(spec('whpx'), 'win32');
    expect(command).toBe('qemu-system-x86_64.exe');
    expect(after(args, '-accel')).toEqual(['whpx']);
    expect(after(args, '-cpu')).toEqual(['max']);
  });

  it('tcg: single-threaded TCG (multi-threaded races kernel text patching) and the max CPU model without the string-copy features TCG emulates bytewise', () => {
    const { args } = buildQemuCommand(spec('tcg'), 'linux');
    expect(after(args, '-accel')[0]).toMatch(/^tcg,thread=single/);
    expect(after(args, '-cpu')).toEqual(['max,-erms,-fsrm']);
    expect(after(buildQemuCommand(spec('tcg', 'arm64'), 'linux').args, '-cpu')).toEqual(['max']);
  });

  it('common devices: ssh hostfwd on loopback only, QMP socket, serial without signals, no reboot', () => {
    const { args } = buildQemuCommand(spec('tcg'), 'linux');
    expect(after(args, '-netdev')).toEqual(['user,id=net0,hostfwd=tcp:127.0.0.1:50022-:22']);
    expect(after(args, '-qmp')).toEqual(['unix:/vm/qmp.sock,server=on,wait=off']);
    expect(after(args, '-chardev')).toEqual(['stdio,id=console,signal=off']);
    expect(args).toContain('-no-reboot');
    expect(args).toContain('-nographic');
    expect(after(args, '-smp')).toEqual(['2']);
    expect(after(args, '-m')).toEqual(['2048M']);
    expect(after(args, '-append')).toEqual(['console=ttyS0 berth.key="ssh-ed25519 AAAA"']);
    expect(args.join(' ')).toContain('-drive file=/vm/data.qcow2,if=virtio,format=qcow2');
    expect(after(args, '-virtfs')).toEqual(['local,path=/Users/me,mount_tag=home,security_model=none,id=home']);
  });

  it('virtiofs shares: shared memfd RAM as the NUMA node, a vhost-user-fs device per socket, 9p for the rest', () => {
    const { args } = buildQemuCommand({
      ...spec('tcg'),
      shares: [
        { tag: 'berth0', path: '/home/me', transport: 'virtiofs', socket: '/vm/fs,0.sock' },
        { tag: 'berth1', path: '/srv', transport: '9p' },
      ],
    });
    expect(after(args, '-object')).toEqual(['memory-backend-memfd,id=mem,size=2048M,share=on']);
    expect(after(args, '-numa')).toEqual(['node,memdev=mem']);
    expect(after(args, '-chardev')).toContain('socket,id=fs0,path=/vm/fs,,0.sock');
    expect(after(args, '-device')).toContain('vhost-user-fs-pci,chardev=fs0,tag=berth0');
    expect(after(args, '-virtfs')).toEqual(['local,path=/srv,mount_tag=berth1,security_model=none,id=berth1']);
    // Without a virtiofs share the RAM stays private (no memfd, no NUMA node).
    expect(buildQemuCommand(spec('tcg')).args).not.toContain('-numa');
  });

  it('serial to a file when the console must outlive the agent', () => {
    const { args } = buildQemuCommand({ ...spec('tcg'), serial: { kind: 'file', path: '/vm/console.raw' } });
    expect(after(args, '-chardev')).toEqual(['file,id=console,path=/vm/console.raw']);
  });

  it('the installed QEMU accepts the tcg command line (paused with -S, killed at once)', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-qemu-'));
    try {
      const { command, args } = buildQemuCommand({
        ...spec('tcg'),
        qmpSocket: path.join(tmp, 'q.sock'),
        shares: [],
        diskArgs: [],
      });
      const noKernel = args.filter((a, i) => !['-kernel', '-initrd', '-append'].some((f) => a === f || args[i - 1] === f));
      const t0 = Date.now();
      const r = spawnSync(command, [...noKernel, '-S'], { timeout: 1500, encoding: 'utf8' });
      // A rejected argument exits at once with a message; an accepted one runs until our SIGTERM.
      expect(r.stderr).toBe('');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe('vfkit command line', () => {
  it('every share is virtio-fs, so the guest is told to mount it with -t virtiofs', () => {
    expect(vfkitShares([{ tag: 'berth0', path: '/Users/me', transport: '9p' }])).toEqual([{ tag: 'berth0', path: '/Users/me', transport: 'virtiofs' }]);
  });

  it('boots the Linux bootloader with raw disks, NAT, a console log, shares and a private REST socket', () => {
    const { command, args } = buildVfkitCommand({
      arch: 'arm64',
      cpus: 4,
      memoryMiB: 4096,
      kernel: '/img/Image',
      initrd: '/img/initrd',
      cmdline: 'console=hvc0 root=/dev/vda',
      shares: [{ tag: 'users', path: '/Users' }],
      rootfs: '/img/rootfs.img',
      dataDisk: '/vm/data.raw',
      consoleLog: '/vm/console.log',
      restSocket: '/vm/vfkit.sock',
      mac: '52:54:00:12:34:56',
    });
    expect(command).toBe('vfkit');
    expect(after(args, '--cpus')).toEqual(['4']);
    expect(after(args, '--memory')).toEqual(['4096']);
    expect(after(args, '--bootloader')).toEqual([
      'linux,kernel=/img/Image,initrd=/img/initrd,cmdline="console=hvc0 root=/dev/vda"',
    ]);
    expect(after(args, '--device')).toEqual([
      'virtio-blk,path=/img/rootfs.img',
      'virtio-blk,path=/vm/data.raw',
      'virtio-net,nat,mac=52:54:00:12:34:56',
      'virtio-serial,logFilePath=/vm/console.log',
      'virtio-rng',
      'virtio-fs,sharedDir=/Users,mountTag=users',
    ]);
    expect(after(args, '--restful-uri')).toEqual(['unix:///vm/vfkit.sock']);
  });

  it('derives a stable, locally administered unicast MAC', () => {
    const mac = macFromSeed('/home/me/.berth/vm/data.raw');
    expect(mac).toBe(macFromSeed('/home/me/.berth/vm/data.raw'));
    expect(mac).toMatch(/^52:54(:[0-9a-f]{2}){4}$/);
    expect(macFromSeed('other')).not.toBe(mac);
  });
});

describe('accelerator choice', () => {
  it('prefers the host hypervisor and always keeps tcg as the fallback', () => {
    expect(accelCandidates({ platform: 'linux', arch: 'x64' }, 'amd64', true)).toEqual(['kvm', 'tcg']);
    expect(accelCandidates({ platform: 'linux', arch: 'x64' }, 'amd64', false)).toEqual(['tcg']);
    expect(accelCandidates({ platform: 'darwin', arch: 'arm64' }, 'arm64', false)).toEqual(['hvf', 'tcg']);
    expect(accelCandidates({ platform: 'win32', arch: 'x64' }, 'amd64', false)).toEqual(['whpx', 'tcg']);
    expect(accelCandidates({ platform: 'darwin', arch: 'arm64' }, 'amd64', false)).toEqual(['tcg']);
  });

  it('skips an accelerator remembered as hanging, and honours a forced choice', () => {
    const memo = { accel: 'tcg' as const, hostKey: 'k', at: '' };
    expect(planAccels(['kvm', 'tcg'], 'auto', memo)).toEqual(['tcg']);
    expect(planAccels(['kvm', 'tcg'], 'auto', null)).toEqual(['kvm', 'tcg']);
    expect(planAccels(['kvm', 'tcg'], 'kvm', memo)).toEqual(['kvm']);
  });

  it('remembers the choice per host kind', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-accel-'));
    const mem = AccelMemory.in(dir);
    await mem.write({ accel: 'tcg', reason: 'kvm printed no boot stage in 20 s', hostKey: 'linux/x64/amd64', at: 'now' });
    expect((await mem.read('linux/x64/amd64'))?.accel).toBe('tcg');
    expect(await mem.read('darwin/arm64/arm64')).toBeNull();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
