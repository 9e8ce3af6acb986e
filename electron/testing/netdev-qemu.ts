/**
 * A real QEMU with a user-mode network and QMP but no machine to boot (`-machine none`): enough to exercise
 * host forwards (hostfwd_add/hostfwd_remove) in a fraction of a second, without a guest or the VM lock. Its
 * forwards accept connections on the host like a booted VM's do; nothing answers behind them.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { USER_NETDEV_ID } from '../vm/hypervisor';
import { Qmp } from '../vm/qmp';

export interface NetdevQemu {
  qmp: Qmp;
  /** The port of the forward given at launch, as the VM's SSH forward is. */
  sshPort: number;
  stop(): Promise<void>;
}

export async function startNetdevQemu(sshPort: number): Promise<NetdevQemu> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-netdev-'));
  const sock = path.join(dir, 'qmp.sock');
  const proc = spawn(
    'qemu-system-x86_64',
    ['-machine', 'none', '-nodefaults', '-display', 'none', '-netdev', `user,id=${USER_NETDEV_ID},hostfwd=tcp:127.0.0.1:${sshPort}-:22`, '-qmp', `unix:${sock},server=on,wait=off`],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const stop = async () => {
    proc.kill('SIGKILL');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };
  let qmp: Qmp | null = null;
  for (let i = 0; i < 100 && !qmp && proc.exitCode === null; i++) {
    qmp = await Qmp.connect(sock, 1000).catch(() => null);
    if (!qmp) await new Promise((r) => setTimeout(r, 50));
  }
  if (!qmp) {
    await stop();
    throw new Error('QEMU (-machine none) did not open its QMP socket');
  }
  return { qmp, sshPort, stop: async () => (qmp.close(), stop()) };
}
