import { spawn } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  input?: Buffer;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion; on failure the error carries the tail of its output, which is what explains it. */
export function run(cmd: string, args: string[], opts: RunOptions = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: 'pipe' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) return resolve(Buffer.concat(out));
      const tail = Buffer.concat([...out, ...err]).toString('utf8').slice(-2000);
      reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}\n${tail}`));
    });
    if (opts.input) child.stdin.end(opts.input);
    else child.stdin.end();
  });
}

export async function chroot(root: string, args: string[]): Promise<string> {
  const env = { ...process.env, PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C' };
  return (await run('chroot', [root, ...args], { env })).toString('utf8');
}

/** Stdout of a command whose exit status is meaningless for the caller, e.g. a decompressor fed trailing bytes. */
export function runLenient(cmd: string, args: string[], input: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'ignore'] });
    const out: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.on('error', reject);
    child.on('close', () => resolve(Buffer.concat(out)));
    child.stdin.on('error', () => {});
    child.stdin.end(input);
  });
}
