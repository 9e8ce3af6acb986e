import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { BerthPaths } from '../base/paths';
import type { DiagnosticsBundle } from '../contract/vm-entries';

const run = promisify(execFile);

/** Larger logs keep their tail: the recent past is what a bug report needs. */
const MAX_LOG_BYTES = 4 << 20;

export interface DiagnosticsInput {
  paths: BerthPaths;
  /** Extra files made by the caller (status, versions, `docker info`, the engine's log): name -> text. */
  generated: Record<string, string>;
  /** Exact strings to blank out wherever they appear (the UI token, passwords). */
  secrets: string[];
}

/** Private keys, tokens in URLs, and the given exact secrets become [REDACTED]. */
export function scrub(text: string, secrets: string[]): string {
  let out = text.replace(/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[REDACTED PRIVATE KEY]');
  out = out.replace(/([?&]token=)[^&\s"']+/gi, '$1[REDACTED]');
  for (const s of secrets) if (s.length >= 4) out = out.split(s).join('[REDACTED]');
  return out;
}

async function readTail(file: string): Promise<string | null> {
  try {
    const h = await fs.open(file, 'r');
    try {
      const { size } = await h.stat();
      const start = Math.max(0, size - MAX_LOG_BYTES);
      const buf = Buffer.alloc(size - start);
      await h.read(buf, 0, buf.length, start);
      return (start > 0 ? `[... first ${start} bytes left out]\n` : '') + buf.toString('utf8');
    } finally {
      await h.close();
    }
  } catch {
    return null;
  }
}

/**
 * One .tar.gz for a bug report. Only files chosen here go in (never the keys in vm/, agent.json with the UI
 * token, or credentials/), and every text is scrubbed on the way.
 */
export async function buildDiagnostics(input: DiagnosticsInput): Promise<DiagnosticsBundle> {
  const { paths } = input;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const name = `berth-diagnostics-${stamp}`;
  const tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-diag-'));
  try {
    const dir = path.join(tmp, name);
    await fs.mkdir(dir);
    const texts: Record<string, string | null> = { ...input.generated };
    texts['console.log'] = await readTail(path.join(paths.vm, 'console.log'));
    texts['settings.json'] = await readTail(paths.settings);
    const logs = await fs.readdir(paths.logs).catch(() => [] as string[]);
    for (const f of logs.filter((l) => l.endsWith('.log'))) texts[`logs/${f}`] = await readTail(path.join(paths.logs, f));
    const files: string[] = [];
    for (const [file, text] of Object.entries(texts)) {
      if (text === null) continue;
      await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await fs.writeFile(path.join(dir, file), scrub(text, input.secrets), { mode: 0o600 });
      files.push(file);
    }
    const out = path.join(tmp, `${name}.tar.gz`);
    await run('tar', ['-czf', out, '-C', tmp, name]);
    const data = await fs.readFile(out);
    return { fileName: `${name}.tar.gz`, base64: data.toString('base64'), bytes: data.length, files: files.sort() };
  } finally {
    await fs.rm(tmp, { recursive: true, force: true });
  }
}
