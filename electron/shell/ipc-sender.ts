import { ELECTRON_ORIGIN } from '../base/web-policy';

/** Berth's page as main knows it: scheme `app:`, host `berth` (the custom protocol the shell serves). */
const BERTH_PAGE = new URL(ELECTRON_ORIGIN);

/**
 * Is this URL one of Berth's own pages? Compared by scheme and host, never by `URL.origin`: for a non-special
 * scheme such as `app:` the WHATWG origin is the opaque string "null", so an origin check refuses Berth's own
 * page (every native call failed that way) — and would accept any other page whose origin is "null" too.
 */
export function isBerthPageUrl(url: string | null | undefined): boolean {
  if (!url || !URL.canParse(url)) return false;
  const parsed = new URL(url);
  return (
    parsed.protocol === BERTH_PAGE.protocol && parsed.host === BERTH_PAGE.host && parsed.username === '' && parsed.password === ''
  );
}

/** The part of Electron's WebFrameMain the check reads. */
export interface SenderFrame {
  url: string;
  /** null for a window's top frame. */
  parent: unknown;
}

/**
 * May this IPC sender use main's native calls (and learn the agent's token)? Only Berth's page, in a window's
 * top frame: not a frame it embeds, not a page it was navigated to (navigation is refused too, but this check
 * does not rely on that).
 */
export function isTrustedSender(frame: SenderFrame | null | undefined): boolean {
  return !!frame && frame.parent === null && isBerthPageUrl(frame.url);
}
