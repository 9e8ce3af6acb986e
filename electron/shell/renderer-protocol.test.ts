import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serveRendererFile } from './renderer-protocol';

describe('app:// renderer protocol', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-shell-'));
    await fs.mkdir(path.join(dir, 'assets'));
    await fs.writeFile(path.join(dir, 'index.html'), '<title>Berth</title>');
    await fs.writeFile(path.join(dir, 'assets', 'main.js'), 'void 0');
  });

  it('serves the page with a CSP that connects only to the agent', async () => {
    const res = await serveRendererFile(dir, 'app://berth/index.html', 4321);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Berth</title>');
    expect(res.headers.get('content-security-policy')).toContain("connect-src 'self' ws://127.0.0.1:4321");
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves assets and refuses other hosts and paths outside the build', async () => {
    expect((await serveRendererFile(dir, 'app://berth/assets/main.js', 1)).headers.get('content-type')).toContain('javascript');
    expect((await serveRendererFile(dir, 'app://other/index.html', 1)).status).toBe(404);
    const escape = await serveRendererFile(dir, 'app://berth/assets/%2e%2e/%2e%2e/%2e%2e/etc/passwd', 1);
    expect(await escape.text()).not.toContain('root:');
  });
});
