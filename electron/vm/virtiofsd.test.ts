import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findVirtiofsd } from '../host/virtiofsd';
import { VirtiofsServers } from './virtiofsd';

// The real virtiofsd of this host (`berth doctor --fix` provides one on Linux); QEMU's side is in shares.vm.test.ts.
const found = findVirtiofsd();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-vfsd-'));
const started: VirtiofsServers[] = [];

afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
  for (const f of fs.readdirSync(tmp)) fs.rmSync(path.join(tmp, f), { recursive: true, force: true });
});

function setup() {
  const dir = path.join(tmp, 'vm');
  const home = path.join(tmp, 'home');
  const srv = path.join(tmp, 'srv');
  for (const d of [dir, home, srv]) fs.mkdirSync(d, { recursive: true });
  const marks: string[] = [];
  return { dir, home, srv, marks, mark: (l: string) => void marks.push(l) };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('virtiofsd per share, 9p for the rest', () => {
  it.runIf(found.ok)('serves each share on its own socket, keeps BERTH_SHARES_9P paths on 9p, and stop() ends them', async () => {
    const { dir, home, srv, marks, mark } = setup();
    const r = await VirtiofsServers.start(
      [{ tag: 'berth0', path: home }, { tag: 'berth1', path: srv }],
      { dir, mark, env: { ...process.env, BERTH_SHARES_9P: srv } },
    );
    started.push(r.servers);
    expect(r.shares).toEqual([
      { tag: 'berth0', path: home, transport: 'virtiofs', socket: path.join(dir, 'fs-berth0.sock') },
      { tag: 'berth1', path: srv, transport: '9p' },
    ]);
    expect(fs.statSync(path.join(dir, 'fs-berth0.sock')).isSocket()).toBe(true);
    expect(marks.join('\n')).toMatch(/BERTH_SHARES_9P/);
    const [pid] = r.servers.pids;
    expect(alive(pid)).toBe(true);
    await r.servers.stop();
    expect(alive(pid)).toBe(false);
    expect(r.servers.pids).toEqual([]);
  });

  it.runIf(found.ok)('a virtiofsd that fails to start leaves that share on 9p, with its reason', async () => {
    const { dir, home, marks, mark } = setup();
    const gone = path.join(tmp, 'not-there');
    const r = await VirtiofsServers.start([{ tag: 'berth0', path: gone }, { tag: 'berth1', path: home }], { dir, mark });
    started.push(r.servers);
    expect(r.shares.map((s) => s.transport)).toEqual(['9p', 'virtiofs']);
    expect(marks.find((m) => m.includes(gone))).toMatch(/uses 9p: virtiofsd exited/);
  });

  it('without a virtiofsd every share is on 9p, and the reason names the fix', async () => {
    const { dir, home, marks, mark } = setup();
    const r = await VirtiofsServers.start([{ tag: 'berth0', path: home }], {
      dir,
      mark,
      find: () => ({ ok: false, reason: 'no virtiofsd on this host' }),
    });
    expect(r.shares).toEqual([{ tag: 'berth0', path: home, transport: '9p' }]);
    expect(marks).toEqual(['shared folders use 9p: no virtiofsd on this host (`berth doctor --fix` adds virtiofsd for faster shares)']);
  });
});
