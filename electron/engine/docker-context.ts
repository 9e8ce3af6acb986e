import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../base/atomic-file';

const run = promisify(execFile);

export const CONTEXT_NAME = 'berth';

function dockerConfigDir(env: NodeJS.ProcessEnv): string {
  return env.DOCKER_CONFIG ?? path.join(os.homedir(), '.docker');
}

/** Where the docker CLI keeps a context: meta/<sha256(name)>/meta.json. */
export function contextMetaFile(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const id = createHash('sha256').update(name).digest('hex');
  return path.join(dockerConfigDir(env), 'contexts', 'meta', id, 'meta.json');
}

/** The metadata file the CLI would write, for hosts without a docker CLI (it may be installed later). */
export async function writeContextMeta(name: string, socketPath: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const meta = {
    Name: name,
    Metadata: { Description: 'Berth container engine' },
    Endpoints: { docker: { Host: `unix://${socketPath}`, SkipTLSVerify: false } },
  };
  await writeFileAtomic(contextMetaFile(name, env), JSON.stringify(meta), 0o644);
}

async function findDockerCli(env: NodeJS.ProcessEnv): Promise<string | null> {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'docker');
    try {
      await fs.access(p, fs.constants.X_OK);
      return p;
    } catch {
      // keep looking
    }
  }
  return null;
}

export type ContextResult = 'created' | 'updated' | 'written';

/**
 * Create or update the `berth` context pointing at our host socket. The user's current context is left
 * alone: switching is `docker context use berth`, their decision.
 */
export async function ensureDockerContext(socketPath: string, env: NodeJS.ProcessEnv = process.env): Promise<ContextResult> {
  const cli = await findDockerCli(env);
  if (!cli) {
    await writeContextMeta(CONTEXT_NAME, socketPath, env);
    return 'written';
  }
  const host = `host=unix://${socketPath}`;
  const exists = await run(cli, ['context', 'inspect', CONTEXT_NAME], { env }).then(
    () => true,
    () => false,
  );
  if (exists) {
    await run(cli, ['context', 'update', CONTEXT_NAME, '--docker', host], { env });
    return 'updated';
  }
  await run(cli, ['context', 'create', CONTEXT_NAME, '--description', 'Berth container engine', '--docker', host], { env });
  return 'created';
}
