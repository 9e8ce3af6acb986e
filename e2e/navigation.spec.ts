import { expect, test } from '@playwright/test';
import { BerthApp, NAV_ENTRIES } from './pages/berth-app';

// Needs no VM: every view must say what it will show and what to do next, whatever the engine's state.
test('every nav entry shows its heading and an explanation', async ({ page }) => {
  const app = new BerthApp(page);
  await app.open();
  // The token leaves the address bar once the page has it.
  expect(new URL(page.url()).searchParams.get('token')).toBeNull();
  for (const entry of NAV_ENTRIES) {
    await app.go(entry);
    await expect(app.nav().getByRole('link', { name: new RegExp(`^${entry}`) })).toHaveAttribute('aria-current', 'page');
    const main = page.getByRole('main');
    await expect(main).not.toBeEmpty();
    await app.screenshot(`nav-${entry.toLowerCase()}`);
  }
  await app.go('Hub');
  await expect(page.getByRole('searchbox', { name: 'Search Docker Hub' })).toBeVisible();
  await app.go('Troubleshoot');
  await expect(page.getByRole('definition').filter({ hasText: new RegExp(`^${process.env.BERTH_HOME}$`) })).toBeVisible();
  await expect(page.getByTestId('vm-status')).toBeVisible();
  await expect(page.getByTestId('engine-status')).toBeVisible();
  // The host checks `berth doctor` makes: this machine has QEMU (the suite's set-up installed it).
  await expect(page.getByRole('list', { name: 'Host checks' }).getByRole('listitem').filter({ hasText: 'qemu-system-x86_64' })).toContainText('✓');
});

test('a reload keeps the session without the token in the URL', async ({ page }) => {
  const app = new BerthApp(page);
  await app.open();
  await page.reload();
  await expect(page.getByTestId('agent-status')).toHaveText('Agent connected');
});

test('without the token the agent refuses the page', async ({ page }) => {
  const url = new URL(BerthApp.url());
  url.searchParams.delete('token');
  const res = await page.goto(url.toString());
  expect(res?.status()).toBe(401);
  await expect(page.getByText(/access token/)).toBeVisible();
});

test('the containers view explains an engine that is not running', async ({ page }) => {
  test.skip(process.env.BERTH_E2E_VM !== '0', 'only meaningful without a VM');
  const app = new BerthApp(page);
  await app.open();
  await app.go('Containers');
  await expect(page.getByText('The engine is not running')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start VM' })).toBeVisible();
});

test('the theme follows the system (light and dark)', async ({ page }) => {
  const app = new BerthApp(page);
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  await app.open();
  const light = await background();
  await page.emulateMedia({ colorScheme: 'dark' });
  const dark = await background();
  expect(light).toBe('rgb(255, 255, 255)');
  expect(dark).not.toBe(light);
  await app.screenshot('dark-containers');
});

test('/ focuses the container search', async ({ page }) => {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Containers');
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search containers' })).toBeFocused();
});
