import { expect, test } from '@playwright/test';
import http from 'node:http';
import { BerthApp } from './pages/berth-app';

// Browser mode's token must stay with Berth's page: nothing ambient (a cookie, a Referer) may carry it to the
// other web servers a developer runs on 127.0.0.1 (cookies are not scoped by port). Needs no VM.

interface Seen {
  url: string;
  headers: http.IncomingHttpHeaders;
}

/** Another local web app on its own port, recording every request it gets. */
async function startOtherApp(): Promise<{ origin: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>Another local app</title><img src="/pixel.png" alt="">');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    origin: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const token = () => new URL(BerthApp.url()).searchParams.get('token') ?? '';

test('another local web server receives no token in any header or cookie', async ({ page, context }) => {
  const other = await startOtherApp();
  try {
    const app = new BerthApp(page);
    await app.open();
    expect(token().length).toBeGreaterThan(20);
    // Left from Berth's own page (as a link would), then opened afresh in another tab, by both loopback names.
    await page.evaluate((url) => (location.href = url), `${other.origin}/from-berth`);
    await expect(page).toHaveTitle('Another local app');
    const tab = await context.newPage();
    await tab.goto(`${other.origin}/new-tab`);
    await tab.goto(`${other.origin.replace('127.0.0.1', 'localhost')}/by-name`);
    await expect.poll(() => other.seen.filter((r) => r.url === '/pixel.png').length).toBeGreaterThanOrEqual(3);

    for (const request of other.seen) {
      expect(request.url).not.toContain(token());
      expect(JSON.stringify(request.headers)).not.toContain(token());
      expect(request.headers.cookie).toBeUndefined();
    }
    // Nothing for any site: Berth sets no cookie at all.
    expect(await context.cookies()).toEqual([]);
  } finally {
    await other.close();
  }
});

test('reloading the UI keeps it working and connected, the token gone from the address bar', async ({ page }) => {
  const app = new BerthApp(page);
  await app.open();
  expect(new URL(page.url()).searchParams.get('token')).toBeNull();
  await page.reload();
  await expect(page.getByTestId('agent-status')).toHaveText('Agent connected');
  await app.go('Images');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Images' })).toBeVisible();
  await expect(page.getByTestId('agent-status')).toHaveText('Agent connected');
});

test("a page of another local app cannot open Berth's WebSocket, even knowing the token", async ({ page }) => {
  const other = await startOtherApp();
  try {
    await page.goto(other.origin);
    const berth = new URL(BerthApp.url());
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => resolve('open');
          ws.onclose = () => resolve('refused');
        }),
      `ws://${berth.host}/rpc?token=${encodeURIComponent(token())}`,
    );
    expect(outcome).toBe('refused');
  } finally {
    await other.close();
  }
});

test('without the token the page loads but says it needs one, and nothing connects', async ({ page }) => {
  const url = new URL(BerthApp.url());
  url.searchParams.delete('token');
  const res = await page.goto(url.toString());
  expect(res?.status()).toBe(200);
  await expect(page.getByText("This page needs the agent's access token")).toBeVisible();
  await expect(page.getByTestId('agent-status')).toHaveText('No access token');
});
