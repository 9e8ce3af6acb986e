/**
 * Shared folders with the settings a new user gets (shares = [home folder]), against a real Berth: agent, QEMU VM,
 * dockerd, and the host's docker CLI on Berth's socket. Run as root (CI machines, dev containers) the home folder
 * is /root, which the guest used to keep sshd's key in. One VM for the whole file. The home folder goes over
 * virtiofs when the host has a virtiofsd (`berth doctor --fix` provides one), and a second shared folder is kept
 * on 9p (BERTH_SHARES_9P), so both transports face the same consistency and ownership tests.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, ensureTestImage, sshArgs, startBerth, waitFor, type BerthUnderTest } from '../testing/vm-fixture';
import { findVirtiofsd } from '../host/virtiofsd';
import { VIRTIOFS_ATTR_TIMEOUT_MS } from '../vm/virtiofsd';

const run = promisify(execFile);
const home = os.homedir();
let b: BerthUnderTest;
/** A folder inside the home folder, and one outside every share (both on the host). */
let inHome: string;
let unshared: string;
/** A second shared folder, kept on 9p. */
let nineShare: string;
const homeTransport = findVirtiofsd().ok ? 'virtiofs' : '9p';

beforeAll(async () => {
  inHome = fs.mkdtempSync(path.join(home, '.berth-test-'));
  const outside = fs.existsSync('/srv') ? '/srv' : os.tmpdir();
  unshared = fs.mkdtempSync(path.join(outside, 'berth-unshared-'));
  nineShare = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-9p-'));
  b = await startBerth({
    shares: 'default',
    extraShares: [nineShare],
    env: { BERTH_SHARES_9P: nineShare },
    log: (l) => process.env.BERTH_TEST_VERBOSE && console.log(l),
  });
  await ensureTestImage(b);
});

afterAll(async () => {
  await b?.stop();
  for (const d of [inHome, unshared, nineShare]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

/** The docker CLI's exit status and output, failure included. */
async function docker(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run('docker', args, { env: b.env });
    return { code: 0, stdout: r.stdout.trim(), stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? -1, stdout: (err.stdout ?? '').trim(), stderr: err.stderr ?? '' };
  }
}

const containerCount = async () => (await b.docker('ps', '-aq')).split('\n').filter(Boolean).length;

describe('the home folder is shared by default', () => {
  it('the VM mounted the home folder, whatever it is (/root when run as root)', async () => {
    const c = await b.client();
    try {
      const view = await c.call('shares.list', {});
      expect(view.active).toEqual([
        { tag: 'berth0', path: home, transport: homeTransport },
        { tag: 'berth1', path: nineShare, transport: '9p' },
      ]);
      expect(view.skipped).toEqual([]);
      // Why the second folder is on 9p, in both logs the user reads (`berth logs`, the agent's log).
      const why = `shared folders on 9p as BERTH_SHARES_9P asks: ${nineShare}`;
      expect(fs.readFileSync(path.join(b.paths.vm, 'console.log'), 'utf8')).toContain(why);
      expect(fs.readFileSync(path.join(b.paths.logs, 'agent.log'), 'utf8')).toContain(`vm: ${why}`);
    } finally {
      c.close();
    }
  });

  it('a container reads and writes a folder in it through `docker run -v`', async () => {
    fs.writeFileSync(path.join(inHome, 'in.txt'), 'from the host\n');
    const out = await b.docker(
      'run', '--rm', '-v', `${inHome}:/src`, TEST_IMAGE,
      'busybox', 'sh', '-c', 'busybox cat /src/in.txt && echo from the container > /src/out.txt',
    );
    expect(out).toBe('from the host');
    expect(fs.readFileSync(path.join(inHome, 'out.txt'), 'utf8')).toBe('from the container\n');
  });

  it('SSH into the guest still works, with the key and root\'s home outside the shared /root', async () => {
    const c = await b.client();
    const st = await c.call('vm.status', {});
    c.close();
    if (st.vm.state !== 'running') throw new Error('VM not running');
    const { stdout } = await run('ssh', [...sshArgs(b, st.vm.sshPort), `ls -a ${home}; echo key: $(busybox wc -l < /etc/berth/authorized_keys/root); echo home: $HOME $(pwd)`], {
      env: b.env,
    });
    // The guest's home-folder path shows the host's folder, and sshd found its key elsewhere.
    expect(stdout).toContain(path.basename(inHome));
    expect(stdout).toContain('key: 1');
    // Not the host's home: every exec would run the host's ~/.bashrc (a pyenv set-up there waits 60 s per exec).
    expect(stdout).toContain('home: /run/berth/root /run/berth/root');
  });
});

/**
 * Reads until `expected` shows. Before the transport's bound a read may still give the old bytes (virtiofs with
 * cache=auto: the guest trusts its attributes for 1 s), never anything else (no zeros, no mix); a read that starts
 * after the bound must give the new bytes. 9p with cache=none has no bound: the first read must see it.
 */
async function seenWithin(read: () => Promise<string>, expected: string, old: string, boundMs: number): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    const started = Date.now() - t0;
    const got = await read();
    if (got === expected) return started;
    expect(got, `read ${started} ms after the change`).toBe(old);
    expect(started, `still the old bytes in a read started ${started} ms after the change`).toBeLessThan(boundMs);
  }
}

const transports = () => [
  { name: homeTransport, dir: () => inHome, boundMs: homeTransport === 'virtiofs' ? VIRTIOFS_ATTR_TIMEOUT_MS + 250 : 0 },
  { name: '9p' as const, dir: () => nineShare, boundMs: 0 },
];

describe.each(transports())('host and container see each other\'s changes ($name)', ({ name, dir, boundMs }) => {
  // The case the 9p page-cache modes (cache=readahead/mmap/loose) get wrong: a process in the container keeps the
  // file open, as a log follower or a dev server does. It must see the host's append, not zeros or the old bytes.
  it('a host edit shows in a container that holds the file open, and a container write shows on the host before close', async () => {
    const d = dir();
    const log = path.join(d, 'live.log');
    fs.writeFileSync(log, 'line1\n');
    const container = `berth-share-live-${path.basename(d).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    await b.docker(
      'run', '-d', '--name', container, '-v', `${d}:/w`, TEST_IMAGE,
      'busybox', 'sh', '-c', 'exec 3</w/live.log; busybox cat <&3 >/dev/null; busybox touch /w/ready; exec busybox sleep 600',
    );
    try {
      await waitFor(async () => fs.existsSync(path.join(d, 'ready')), (ok) => ok, 30_000, 'the container read the file');
      const read = () => b.docker('exec', container, 'busybox', 'cat', '/w/live.log');
      fs.appendFileSync(log, 'line2\n');
      const append = await seenWithin(read, 'line1\nline2', 'line1', boundMs);
      fs.writeFileSync(log, 'LINE1\nLINE2\n'); // same size, same second
      const rewrite = await seenWithin(read, 'LINE1\nLINE2', 'line1\nline2', boundMs);
      console.log(`${name}: host append seen by a read started ${append} ms after it, same-size rewrite ${rewrite} ms`);

      // The other way: the container's write is on the host while its file is still open (no write-back delay).
      await b.docker('exec', '-d', container, 'busybox', 'sh', '-c', 'exec 4>/w/out.log; echo from the container >&4; busybox touch /w/written; exec busybox sleep 30');
      await waitFor(async () => fs.existsSync(path.join(d, 'written')), (ok) => ok, 30_000, 'the container wrote');
      expect(fs.readFileSync(path.join(d, 'out.log'), 'utf8')).toBe('from the container\n');
    } finally {
      await b.docker('rm', '-f', container).catch(() => undefined);
    }
  });

  it('files a container writes as another user have the modes it asked for, and the owner 9p would give', async () => {
    // A folder the container's user may write in (the temp folders are 0700, the host user's own).
    const d = path.join(dir(), 'open');
    fs.mkdirSync(d, { mode: 0o777 });
    fs.chmodSync(d, 0o777);
    await b.docker(
      'run', '--rm', '--user', '1000:1000', '-v', `${d}:/w`, TEST_IMAGE,
      'busybox', 'sh', '-c', 'echo hi > /w/by-1000.txt && busybox mkdir /w/dir-1000 && busybox chmod 755 /w/by-1000.txt',
    );
    // Run as root, both transports keep the container's uid (9p under a root QEMU, virtiofsd as root); run as a
    // user, both make the file the user's (9p security_model=none under a user's QEMU, virtiofsd's uid squash).
    const owner = process.getuid!() === 0 ? [1000, 1000] : [process.getuid!(), process.getgid!()];
    for (const f of ['by-1000.txt', 'dir-1000']) {
      const st = fs.statSync(path.join(d, f));
      expect([st.uid, st.gid], `${name}: ${f}`).toEqual(owner);
    }
    expect(fs.statSync(path.join(d, 'by-1000.txt')).mode & 0o777).toBe(0o755);
    expect(fs.readFileSync(path.join(d, 'by-1000.txt'), 'utf8')).toBe('hi\n');
  });
});

describe('bind mounts outside every share', () => {
  it('the docker CLI prints why and how to share, and no container is made (-v and --mount)', async () => {
    const before = await containerCount();
    for (const spec of [['-v', `${unshared}:/data`], ['--mount', `type=bind,source=${unshared},target=/data,readonly`]]) {
      const r = await docker('run', '--rm', ...spec, TEST_IMAGE, 'busybox', 'true');
      expect(r.code, r.stderr).not.toBe(0);
      expect(r.stderr).toContain(`${unshared} is not shared with the Berth VM`);
      expect(r.stderr).toContain('Settings > Shared folders');
      expect(r.stderr).toContain(`berth settings set 'shares=${JSON.stringify([home, nineShare, unshared])}'`);
      expect(r.stderr).toContain('restart the VM');
    }
    expect(await containerCount()).toBe(before);
  });

  it('the agent\'s containers.run refuses it with the same message', async () => {
    const c = await b.client();
    try {
      await expect(c.call('containers.run', { image: TEST_IMAGE, mounts: [{ source: unshared, target: '/data' }], command: ['true'] })).rejects.toThrow(
        `${unshared} is not shared with the Berth VM`,
      );
      expect(await c.call('shares.check', { hostPath: `${unshared}:/data` })).toMatchObject({ ok: false });
    } finally {
      c.close();
    }
  });

  it('the guest\'s own paths still bind: the engine socket, as on any remote engine', async () => {
    const out = await b.docker(
      'run', '--rm', '-v', '/var/run/docker.sock:/var/run/docker.sock', TEST_IMAGE,
      'busybox', 'sh', '-c', 'busybox test -S /var/run/docker.sock && echo socket',
    );
    expect(out).toBe('socket');
  });
});

/** pids of the processes whose command line names this path (virtiofsd gets its socket path as an argument). */
function processesNaming(needle: string): number[] {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).flatMap((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(needle) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

describe.runIf(homeTransport === 'virtiofs')('virtiofsd lives as long as its VM', () => {
  it('one virtiofsd serves the home folder while the VM runs, and none is left after `berth stop`', async () => {
    const socket = path.join(b.paths.vm, 'fs-berth0.sock');
    // One virtiofsd (with the namespace sandbox, as root, it runs as a monitor and its sandboxed child).
    expect(processesNaming(socket).length).toBeGreaterThanOrEqual(1);
    expect(processesNaming(path.join(b.paths.vm, 'fs-berth1.sock'))).toEqual([]); // the 9p share has none
    const stopped = await b.berth('stop');
    expect(stopped.code, stopped.stderr).toBe(0);
    await waitFor(async () => processesNaming(socket), (pids) => pids.length === 0, 10_000, 'virtiofsd to exit');
  });
});
