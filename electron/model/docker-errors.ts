import { BerthError } from '../base/errors';

interface DockerodeError {
  statusCode?: number;
  json?: { message?: string } | null;
  reason?: string;
  message?: string;
}

/** The engine's refusal as the typed error clients show: its own words, and what to do about it. */
export function engineError(err: unknown, what: string): BerthError {
  if (err instanceof BerthError) return err;
  const e = (err ?? {}) as DockerodeError;
  const detail = e.json?.message ?? e.message ?? String(err);
  const message = `${what}: ${detail.replace(/^\(HTTP code \d+\)\s*/, '')}`;
  switch (e.statusCode) {
    case 400:
      return new BerthError('bad-request', message);
    case 404:
      return new BerthError('not-found', message, 'It may have been removed meanwhile; the list is current again.');
    case 409:
      return new BerthError('conflict', message);
    case 500:
    case 503:
      return new BerthError('engine', message, 'The engine refused it; its message says why.');
    default:
      return new BerthError('engine', message);
  }
}

/** 304 means "already in that state": for start/stop/pause that is success, not an error. */
export function isNotModified(err: unknown): boolean {
  return (err as DockerodeError | null)?.statusCode === 304;
}
