import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Qmp } from './qmp';

describe('Qmp against a real QEMU', () => {
  it('negotiates, queries status, and quits the process', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-qmp-'));
    const sock = path.join(dir, 'qmp.sock');
    const q = spawn('qemu-system-x86_64', ['-S', '-nodefaults', '-display', 'none', '-accel', 'tcg', '-qmp', `unix:${sock},server=on,wait=off`], {
      stdio: 'ignore',
    });
    try {
      let qmp: Qmp | null = null;
      for (let i = 0; i < 100 && !qmp; i++) {
        qmp = await Qmp.connect(sock, 1000).catch(() => null);
        if (!qmp) await new Promise((r) => setTimeout(r, 50));
      }
      expect(qmp).not.toBeNull();
      expect(await qmp!.execute('query-status')).toMatchObject({ status: 'prelaunch', running: false });
      await expect(qmp!.execute('no-such-command')).rejects.toThrow(/QMP/);
      const exited = new Promise<number | null>((r) => q.once('exit', (code) => r(code)));
      await qmp!.execute('quit');
      expect(await exited).toBe(0);
      qmp!.close();
    } finally {
      q.kill('SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
