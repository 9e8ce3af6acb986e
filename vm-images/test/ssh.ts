// SSH to the test guest with ssh2, pinning the host key the guest printed on its console.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'ssh2';

export interface KeyPair {
  privateKey: string;
  publicKey: string;
}

export function makeKeyPair(dir: string, name = 'id_ed25519'): KeyPair {
  const file = path.join(dir, name);
  fs.rmSync(file, { force: true });
  fs.rmSync(`${file}.pub`, { force: true });
  const res = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'berth-test', '-f', file], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`ssh-keygen failed: ${res.stderr}`);
  return { privateKey: fs.readFileSync(file, 'utf8'), publicKey: fs.readFileSync(`${file}.pub`, 'utf8').trim() };
}

/** The wire-format blob of an OpenSSH public key line: what ssh2's hostVerifier receives. */
export function keyBlob(publicKeyLine: string): Buffer {
  return Buffer.from(publicKeyLine.trim().split(/\s+/)[1], 'base64');
}

export interface ExecResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export class GuestSsh {
  private constructor(readonly client: Client) {}

  static connect(opts: { port: number; key: KeyPair; hostKey: string; timeoutMs?: number }): Promise<GuestSsh> {
    const expected = keyBlob(opts.hostKey);
    return new Promise((resolve, reject) => {
      const client = new Client();
      client
        .on('ready', () => resolve(new GuestSsh(client)))
        .on('error', (err) => reject(err))
        .connect({
          host: '127.0.0.1',
          port: opts.port,
          username: 'root',
          privateKey: opts.key.privateKey,
          readyTimeout: opts.timeoutMs ?? 20_000,
          hostVerifier: (key: Buffer) => key.equals(expected),
        });
    });
  }

  exec(command: string, stdin?: Buffer | NodeJS.ReadableStream): Promise<ExecResult> {
    return new Promise((resolve, reject) => {
      this.client.exec(command, (err, stream) => {
        if (err) return reject(err);
        const out: Buffer[] = [];
        const errOut: Buffer[] = [];
        let code: number | null = null;
        stream.on('data', (d: Buffer) => out.push(d));
        stream.stderr.on('data', (d: Buffer) => errOut.push(d));
        stream.on('exit', (c: number | null) => { code = c; });
        stream.on('close', () => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(errOut).toString() }));
        if (Buffer.isBuffer(stdin)) stream.end(stdin);
        else if (stdin) (stdin as NodeJS.ReadableStream).pipe(stream);
        else stream.end();
      });
    });
  }

  async run(command: string, stdin?: Buffer | NodeJS.ReadableStream): Promise<string> {
    const r = await this.exec(command, stdin);
    if (r.code !== 0) throw new Error(`guest command failed (${r.code}): ${command}\n${r.stderr}${r.stdout}`);
    return r.stdout;
  }

  end(): void {
    this.client.end();
  }
}
