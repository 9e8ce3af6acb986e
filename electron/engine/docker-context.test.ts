import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { berthPaths, dockerContextName } from '../base/paths';
import { ensureDockerContext } from './docker-context';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ctx-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('one docker context per Berth home', () => {
  it('keeps `berth` for ~/.berth and a stable name of its own for any other home', () => {
    expect(dockerContextName(path.join(os.homedir(), '.berth'))).toBe('berth');
    const other = dockerContextName('/srv/berth-ci');
    expect(other).toMatch(/^berth-[0-9a-f]{8}$/);
    expect(dockerContextName('/srv/berth-ci/')).toBe(other);
    expect(dockerContextName('/srv/berth-other')).not.toBe(other);
  });

  it('two homes on one user no longer rewrite each other’s context, and each says its home', async () => {
    const env = { ...process.env, DOCKER_CONFIG: path.join(dir, 'dockercfg') };
    const a = berthPaths(path.join(dir, 'home-a'));
    const b = berthPaths(path.join(dir, 'home-b'));
    await ensureDockerContext(a.dockerSocket, env, dockerContextName(a.home));
    await ensureDockerContext(b.dockerSocket, env, dockerContextName(b.home));
    await ensureDockerContext(a.dockerSocket, env, dockerContextName(a.home));
    const inspect = (name: string, format: string) => execFileSync('docker', ['context', 'inspect', name, '--format', format], { env, encoding: 'utf8' }).trim();
    expect(inspect(dockerContextName(a.home), '{{.Endpoints.docker.Host}}')).toBe(`unix://${a.dockerSocket}`);
    expect(inspect(dockerContextName(b.home), '{{.Endpoints.docker.Host}}')).toBe(`unix://${b.dockerSocket}`);
    expect(inspect(dockerContextName(b.home), '{{json .Metadata}}')).toContain(`Berth container engine (home ${b.home})`);
    expect(execFileSync('docker', ['context', 'show'], { env, encoding: 'utf8' }).trim()).toBe('default');
  });
});
