import { expect, test, type Page } from '@playwright/test';
import { serveBenchPage } from '../renderer/bench/serve-bench';

/**
 * The windowed lists in the real browser with more rows than fit (no VM: the bench page's `?fixture` mode
 * mounts the real views over 2,000 fake containers and a log fed from here). Only a screenful is mounted, yet
 * scrolling, the arrow keys and log search reach every row, and a row moved to is never hidden.
 */
let site: Awaited<ReturnType<typeof serveBenchPage>>;
test.beforeAll(async () => {
  site = await serveBenchPage({ outDir: 'bench-fixture' });
});
test.afterAll(() => site?.close());

async function open(page: Page) {
  await page.goto(`${site.url}?fixture`);
  await expect(page.getByRole('table', { name: 'Containers' })).toBeVisible();
}

/** The element is inside the scroller's visible part, below its sticky header row. */
async function expectFullyShown(page: Page, name: string) {
  const button = page.getByRole('button', { name, exact: true });
  await expect(button).toBeFocused();
  const [box, list, head] = await Promise.all([
    button.boundingBox(),
    page.locator('.clist').boundingBox(),
    page.locator('.chead').boundingBox(),
  ]);
  expect(box!.y).toBeGreaterThanOrEqual(head!.y + head!.height - 1);
  expect(box!.y + box!.height).toBeLessThanOrEqual(list!.y + list!.height + 1);
}

test('2,000 containers: a screenful mounted, the last one reached by scrolling, arrow keys keep focus in view', async ({
  page,
}) => {
  await open(page);
  const rows = page.locator('.crow');
  expect(await rows.count()).toBeLessThan(80);
  // Compose projects come first, sorted: project-1's header, then its services by name.
  await expect(page.getByRole('row', { name: 'Compose project project-1' })).toBeVisible();
  await page.locator('.clist').evaluate((el) => (el.scrollTop = el.scrollHeight));
  // The last row: containers without a project (every 4th), sorted by name; service-996 sorts last.
  await expect(page.getByRole('button', { name: 'Open service-996', exact: true })).toBeVisible();
  await page.locator('.clist').evaluate((el) => (el.scrollTop = 0));
  // The window moves on the scroll event, a frame or more later on a busy machine: until then the rows mounted
  // are still the bottom ones, and "the first row" would be one of them.
  const firstRowOnScreen = () =>
    page
      .locator('.crow')
      .first()
      .evaluate((row) => row.getBoundingClientRect().top < row.closest('.clist')!.getBoundingClientRect().bottom);
  await expect.poll(firstRowOnScreen).toBe(true);

  const first = page.locator('.crow .name button').first();
  const firstName = (await first.getAttribute('aria-label'))!;
  await first.focus();
  for (let k = 0; k < 40; k++) await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? '');
  expect(focused).not.toBe(firstName);
  await expectFullyShown(page, focused);
  for (let k = 0; k < 40; k++) await page.keyboard.press('ArrowUp');
  await expectFullyShown(page, firstName);
});

test('a 900x600 window keeps each row to its primary action and a menu of the others', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  await open(page);
  const row = page.locator('.crow').first();
  await expect(row.getByRole('button', { name: /^More actions for / })).toBeVisible();
  await expect(row.getByRole('button', { name: /^Remove / })).toBeHidden();
});

test('a streaming log follows its end; unfollowed it stays put; search goes to a match', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Show logs' }).click();
  const log = page.getByRole('log', { name: 'Logs of fixture' });
  for (let k = 0; k < 20; k++) await page.evaluate(() => window.__appendLogs!(5000));
  await expect(log.getByText('line 100000', { exact: true })).toBeVisible();
  expect(await log.locator('.logline').count()).toBeLessThan(120);

  await page.getByRole('checkbox', { name: 'Follow' }).uncheck();
  await log.evaluate((el) => (el.scrollTop = 18 * 50_000));
  await expect(log.getByText('line 50010', { exact: true })).toBeVisible();
  await page.evaluate(() => window.__appendLogs!(1000));
  await expect(page.getByText('101000 lines')).toBeVisible();
  await expect(log.getByText('line 50010', { exact: true })).toBeVisible();

  await page.getByRole('searchbox', { name: 'Search logs' }).fill('line 777');
  await page.getByRole('searchbox', { name: 'Search logs' }).press('Enter');
  await expect(log.locator('mark.current')).toBeVisible();
  await expect(log.locator('mark.current').locator('..')).toHaveText(/line 777\d*/);
});
