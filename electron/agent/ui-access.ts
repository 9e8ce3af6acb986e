import crypto from 'node:crypto';
import { ELECTRON_ORIGIN } from '../base/web-policy';

/**
 * Who may reach browser mode, decided apart from the wiring so each rule is plain to read and test.
 *
 * - The page itself (index.html and /assets/*) holds no secret and is served to anyone who names this server as
 *   Host: so a reload works once the token has left the address bar, and nothing ambient (no cookie, which
 *   browsers would also send to every other port on 127.0.0.1) ever carries the token.
 * - The WebSocket is where the agent's power is: it needs the token, handed over explicitly in its URL, and
 *   browsers' Origin must be this server or the Electron shell (a page of another local web app is refused
 *   even when it learned the token). Programs without an Origin (the CLI style) need the token alone.
 * - Host must name loopback and this port everywhere, which defeats DNS rebinding (a foreign name resolving
 *   to 127.0.0.1 carries its own name in Host).
 */
export interface AccessRules {
  token: string;
  port(): number;
}

export type Verdict = { ok: true } | { ok: false; status: number; why: string };

/** What one refusal may write to the log of any value the client chose (paths, origins, hosts). */
export const MAX_LOGGED_CHARS = 200;

/** A client-chosen value for a log line: quoted (no line breaks or control characters survive) and cut short. */
export function forLog(value: string | undefined): string {
  if (value === undefined) return '(none)';
  const cut = value.length > MAX_LOGGED_CHARS ? `${value.slice(0, MAX_LOGGED_CHARS)}…(${value.length} chars)` : value;
  return JSON.stringify(cut);
}

export function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

export function hostAllowed(rules: AccessRules, host: string | undefined): boolean {
  const port = rules.port();
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

export function originAllowed(rules: AccessRules, origin: string): boolean {
  const port = rules.port();
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}` || origin === ELECTRON_ORIGIN;
}

/** A request for the page or its assets. */
export function judgePageRequest(rules: AccessRules, method: string | undefined, host: string | undefined): Verdict {
  if (!hostAllowed(rules, host)) return { ok: false, status: 421, why: `host ${forLog(host)}` };
  if (method !== 'GET' && method !== 'HEAD') return { ok: false, status: 405, why: `method ${forLog(method)}` };
  return { ok: true };
}

/** A WebSocket upgrade to the protocol endpoint. */
export function judgeUpgrade(
  rules: AccessRules,
  request: { pathname: string; host: string | undefined; origin: string | undefined; token: string | null },
): Verdict {
  if (request.pathname !== '/rpc') return { ok: false, status: 404, why: `path ${forLog(request.pathname)}` };
  if (!hostAllowed(rules, request.host)) return { ok: false, status: 421, why: `host ${forLog(request.host)}` };
  // Browsers always send Origin and a page cannot forge it: a foreign one is refused whatever else it carries.
  if (request.origin !== undefined && !originAllowed(rules, request.origin)) {
    return { ok: false, status: 403, why: `foreign origin ${forLog(request.origin)}` };
  }
  if (!sameToken(request.token, rules.token)) return { ok: false, status: 401, why: 'missing or wrong token' };
  return { ok: true };
}
