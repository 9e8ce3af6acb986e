import type { BerthBridge } from '../../../electron/contract/native';

/**
 * What the Electron preload exposes as `window.berth` (electron/shell/preload.ts): a way to ask main for the
 * agent's protocol endpoint (`ws://127.0.0.1:PORT/rpc`) and its token, and the few desktop services only main
 * can do. Browser mode has none of it; the native helpers below fall back to what a browser does. The bridge's
 * type is the contract's.
 */
declare global {
  interface Window {
    berth?: BerthBridge;
  }
}

const TOKEN_KEY = 'berth.token';

function withToken(agentUrl: string, token: string): string {
  const url = new URL(agentUrl);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (!url.pathname.endsWith('/rpc')) url.pathname = url.pathname.replace(/\/?$/, '/rpc');
  url.searchParams.set('token', token);
  return url.toString();
}

/**
 * The WebSocket URL of the agent, token included, or null when this page has no token. In Electron, main hands
 * both over through the preload. In browser mode the page was opened as `/?token=…`: the token moves to
 * sessionStorage and leaves the address bar (and so history, screenshots and Referer) at once, before any
 * await; a reload finds it in sessionStorage. It is only ever sent explicitly, in the WebSocket's URL.
 */
export async function agentSocketUrl(win: Window = window): Promise<string | null> {
  if (win.berth) {
    const { agentUrl, token } = await win.berth.agentEndpoint();
    return withToken(agentUrl, token);
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
  return withToken(`ws://${win.location.host}/rpc`, token);
}

/** Opens a web page in the user's browser (Electron) or a new tab (browser mode). */
export function openExternal(url: string): void {
  if (window.berth?.openExternal) void window.berth.openExternal({ url });
  else window.open(url, '_blank', 'noopener,noreferrer');
}

/** Saves text under a suggested name: a save dialog in Electron, a download in browser mode. */
export function saveText(defaultName: string, content: string): void {
  if (window.berth?.saveFile) {
    void window.berth.saveFile({ defaultName, content });
    return;
  }
  download(defaultName, new Blob([content], { type: 'text/plain' }));
}

/** Browser mode's save: a download of the blob. */
function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** Saves binary content (base64) under a suggested name: a save dialog in Electron, a download in browser mode. */
export function saveBase64(defaultName: string, base64: string, type = 'application/gzip'): void {
  if (window.berth?.saveFile) {
    void window.berth.saveFile({ defaultName, content: base64, encoding: 'base64' });
    return;
  }
  download(defaultName, new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type }));
}
