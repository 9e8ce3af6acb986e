import { spawn } from 'node:child_process';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../e2e/fixtures/fake-hub/server';

// The fake Hub lives in e2e/fixtures (outside this config's test roots); its controls are checked here
// because e2e tests in other processes depend on them.

const MAIN = fileURLToPath(new URL('../../e2e/fixtures/fake-hub/main.ts', import.meta.url));
const hubs: FakeHub[] = [];
afterEach(async () => {
  await Promise.all(hubs.splice(0).map((h) => h.close()));
});

async function post(url: string, body: unknown): Promise<Response> {
  return fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
}

describe('fake hub controls', () => {
  it('the control port takes Hub offline and brings it back on the same port', async () => {
    const hub = await startFakeHub();
    hubs.push(hub);
    expect((await fetch(`${hub.url}/v2/repositories/library/busybox/`)).status).toBe(200);

    expect((await post(hub.controlUrl, { mode: 'offline' })).status).toBe(200);
    await expect.poll(() => hub.state().mode).toBe('offline');
    await expect(fetch(`${hub.url}/v2/repositories/library/busybox/`)).rejects.toThrow();

    expect((await post(hub.controlUrl, { mode: 'ok' })).status).toBe(200);
    await expect.poll(async () => (await fetch(`${hub.url}/v2/repositories/library/busybox/`)).status).toBe(200);
  });

  it('POST /__control on the Hub port switches to rate limiting with a chosen Retry-After', async () => {
    const hub = await startFakeHub();
    hubs.push(hub);
    await post(`${hub.url}/__control`, { mode: 'rate-limit', retryAfter: 5 });
    const res = await fetch(`${hub.url}/v2/search/repositories/?query=x`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('5');
    expect((await post(hub.controlUrl, { mode: 'sideways' })).status).toBe(400);
  });

  it('answers like Hub: page_size over 100 is refused, past the last page is 404', async () => {
    const hub = await startFakeHub();
    hubs.push(hub);
    expect((await fetch(`${hub.url}/v2/repositories/berthtest/many-tags/tags/?page_size=101`)).status).toBe(400);
    expect((await fetch(`${hub.url}/v2/repositories/berthtest/many-tags/tags/?page=4&page_size=100`)).status).toBe(404);
    const body = await (await fetch(`${hub.url}/v2/repositories/berthtest/many-tags/tags/?page=2&page_size=100`)).json();
    expect(body.count).toBe(250);
    expect(body.next).toContain('page=3');
    expect(body.previous).toContain('page=1');
  });

  it('runs from the command line and prints its URLs as JSON', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--port', '0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        readline.createInterface({ input: child.stdout! }).once('line', resolve);
        child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      const { url, controlUrl } = JSON.parse(line) as { url: string; controlUrl: string };
      const search = await (await fetch(`${url}/v2/search/repositories/?query=busybox`)).json();
      expect(search.results.map((r: { repo_name: string }) => r.repo_name)).toContain('busybox');
      expect((await fetch(controlUrl)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
