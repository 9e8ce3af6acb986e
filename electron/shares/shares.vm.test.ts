/**
 * Shared folders with the settings a new user gets (shares = [home folder]), against a real Berth: agent, QEMU VM,
 * dockerd, and the host's docker CLI on Berth's socket. Run as root (CI machines, dev containers) the home folder
 * is /root, which the guest used to keep sshd's key in. One VM for the whole file.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_IMAGE, ensureTestImage, sshArgs, startBerth, waitFor, type BerthUnderTest } from '../testing/vm-fixture';

const run = promisify(execFile);
const home = os.homedir();
let b: BerthUnderTest;
/** A folder inside the home folder, and one outside every share (both on the host). */
let inHome: string;
let unshared: string;

beforeAll(async () => {
  inHome = fs.mkdtempSync(path.join(home, '.berth-test-'));
  const outside = fs.existsSync('/srv') ? '/srv' : os.tmpdir();
  unshared = fs.mkdtempSync(path.join(outside, 'berth-unshared-'));
  b = await startBerth({ shares: 'default', log: (l) => process.env.BERTH_TEST_VERBOSE && console.log(l) });
  await ensureTestImage(b);
});

afterAll(async () => {
  await b?.stop();
  for (const d of [inHome, unshared]) if (d) fs.rmSync(d, { recursive: true, force: true });
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
      expect(view.active).toEqual([{ tag: 'berth0', path: home }]);
      expect(view.skipped).toEqual([]);
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

describe('host and container see each other\'s changes at once (9p cache=none)', () => {
  // The case the page-cache modes (cache=readahead/mmap/loose) get wrong: a process in the container keeps the file
  // open, as a log follower or a dev server does. It must see the host's append, not zeros or the old bytes.
  it('a host edit shows in a container that holds the file open, and a container write shows on the host before close', async () => {
    const log = path.join(inHome, 'live.log');
    fs.writeFileSync(log, 'line1\n');
    const name = 'berth-share-live';
    await b.docker(
      'run', '-d', '--name', name, '-v', `${inHome}:/w`, TEST_IMAGE,
      'busybox', 'sh', '-c', 'exec 3</w/live.log; busybox cat <&3 >/dev/null; busybox touch /w/ready; exec busybox sleep 600',
    );
    try {
      await waitFor(async () => fs.existsSync(path.join(inHome, 'ready')), (ok) => ok, 30_000, 'the container read the file');
      fs.appendFileSync(log, 'line2\n');
      expect(await b.docker('exec', name, 'busybox', 'cat', '/w/live.log')).toBe('line1\nline2');
      fs.writeFileSync(log, 'LINE1\nLINE2\n'); // same size, same second
      expect(await b.docker('exec', name, 'busybox', 'cat', '/w/live.log')).toBe('LINE1\nLINE2');

      // The other way: the container's write is on the host while its file is still open (no write-back delay).
      await b.docker('exec', '-d', name, 'busybox', 'sh', '-c', 'exec 4>/w/out.log; echo from the container >&4; busybox touch /w/written; exec busybox sleep 30');
      await waitFor(async () => fs.existsSync(path.join(inHome, 'written')), (ok) => ok, 30_000, 'the container wrote');
      expect(fs.readFileSync(path.join(inHome, 'out.log'), 'utf8')).toBe('from the container\n');
    } finally {
      await b.docker('rm', '-f', name).catch(() => undefined);
    }
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
      expect(r.stderr).toContain(`berth settings set 'shares=${JSON.stringify([home, unshared])}'`);
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
