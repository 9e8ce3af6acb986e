/** What the Electron preload exposes as `window.berth`: where the agent listens and the token it wants. */
export interface BerthBridge {
  agentUrl: string;
  token: string;
}

declare global {
  interface Window {
    berth?: BerthBridge;
  }
}

const TOKEN_KEY = 'berth.token';

/**
 * The WebSocket URL of the agent. In Electron the preload hands it over; in browser mode the page was opened as
 * `/?token=…`: the token moves to sessionStorage and leaves the address bar (and so history and screenshots).
 */
export function agentSocketUrl(win: Window = window): string | null {
  if (win.berth) {
    const base = new URL(win.berth.agentUrl);
    const scheme = base.protocol === 'https:' || base.protocol === 'wss:' ? 'wss:' : 'ws:';
    return `${scheme}//${base.host}/rpc?token=${encodeURIComponent(win.berth.token)}`;
  }
  const url = new URL(win.location.href);
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) {
    win.sessionStorage.setItem(TOKEN_KEY, fromQuery);
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', url.pathname + url.search + url.hash);
  }
  const token = fromQuery ?? win.sessionStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  return `ws://${win.location.host}/rpc?token=${encodeURIComponent(token)}`;
}
