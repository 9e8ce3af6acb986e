import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../base/atomic-file';

const run = promisify(execFile);

/** The context of the default home; see dockerContextName for the others. */
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
export async function writeContextMeta(name: string, socketPath: string, env: NodeJS.ProcessEnv = process.env, description = describe(socketPath)): Promise<void> {
  const meta = {
    Name: name,
    Metadata: { Description: description },
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

/** Says which home a context belongs to (`docker context ls` shows it), since there can be several. */
function describe(socketPath: string): string {
  return `Berth container engine (home ${path.dirname(path.dirname(socketPath))})`;
}

/**
 * Create or update this home's context (`berth` for ~/.berth, `berth-<hash>` for another BERTH_HOME) pointing
 * at our host socket. The user's current context is left alone: switching is `docker context use`, their decision.
 */
export async function ensureDockerContext(
  socketPath: string,
  env: NodeJS.ProcessEnv = process.env,
  name: string = CONTEXT_NAME,
): Promise<ContextResult> {
  const cli = await findDockerCli(env);
  if (!cli) {
    await writeContextMeta(name, socketPath, env);
    return 'written';
  }
  const host = `host=unix://${socketPath}`;
  const exists = await run(cli, ['context', 'inspect', name], { env }).then(
    () => true,
    () => false,
  );
  if (exists) {
    await run(cli, ['context', 'update', name, '--description', describe(socketPath), '--docker', host], { env });
    return 'updated';
  }
  await run(cli, ['context', 'create', name, '--description', describe(socketPath), '--docker', host], { env });
  return 'created';
}
