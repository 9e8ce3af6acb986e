import fs from 'node:fs/promises';
import { contentSecurityPolicy, contentType, rendererFile } from '../base/web-policy';

/**
 * Answers a request for app://berth/... from the built renderer, with the same CSP as browser mode (whose
 * connect-src names only the agent). Plain Node, so it is tested without Electron.
 */
export async function serveRendererFile(staticDir: string, requestUrl: string, agentPort: number): Promise<Response> {
  const url = new URL(requestUrl);
  const target = rendererFile(staticDir, url.pathname);
  if (url.host !== 'berth' || !target) return new Response('Not found', { status: 404 });
  try {
    const body = await fs.readFile(target.file);
    return new Response(body, {
      headers: {
        'content-type': contentType(target.file),
        'content-security-policy': contentSecurityPolicy(agentPort),
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}
