import { expect, test, type Page } from '@playwright/test';
import { setE2eHubMode } from './fixtures/fake-hub/e2e';
import { BerthApp } from './pages/berth-app';
import { docker, E2E_IMAGE, ensureE2eImage, startRegistry } from './support/engine-fixtures';

// Docker Hub as a user sees it, against the fake Hub the global setup starts (its URL is the agent's
// BERTH_HUB_URL). Browsing needs no VM; pulling and running a tag does (and is skipped with BERTH_E2E_VM=0).
test.describe.configure({ mode: 'serial' });
test.skip(() => !process.env.BERTH_E2E_HUB_CONTROL, 'needs the fake Hub the global setup starts with its own agent');

const RUN_NAME = 'e2e-hub-busybox';

test.afterEach(async () => {
  await setE2eHubMode('ok');
});

async function openHub(page: Page): Promise<BerthApp> {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Hub');
  return app;
}

function result(page: Page, name: string) {
  return page.getByRole('list', { name: 'Search results' }).getByRole('listitem', { name, exact: true });
}

async function search(page: Page, text: string): Promise<void> {
  await page.getByRole('searchbox', { name: 'Search Docker Hub' }).fill(text);
}

async function openRepository(page: Page, name: string): Promise<void> {
  await search(page, name.split('/').pop()!);
  await result(page, name).getByRole('button', { name: `Open ${name}` }).click();
  await expect(page.getByRole('heading', { level: 2, name })).toBeVisible();
}

test('search as you type, filter by badge, page through results', async ({ page }) => {
  await openHub(page);
  await search(page, 'busybox');
  const busybox = result(page, 'busybox');
  await expect(busybox).toBeVisible();
  await expect(busybox.getByText('Docker Official Image')).toBeVisible();
  await expect(busybox.getByText('3.3K stars')).toBeVisible();
  await expect(busybox.getByText('7.4B pulls')).toBeVisible();
  await expect(result(page, 'acmecorp/busybox-tools')).toBeVisible();

  await page.getByRole('radio', { name: 'Official images' }).check();
  await expect(result(page, 'acmecorp/busybox-tools')).toHaveCount(0);
  await expect(busybox).toBeVisible();

  await page.getByRole('radio', { name: 'Verified publishers' }).check();
  await expect(result(page, 'acmecorp/busybox-tools').getByText('Verified Publisher')).toBeVisible();
  await expect(busybox).toHaveCount(0);

  await page.getByRole('radio', { name: 'All images' }).check();
  await search(page, 'demo-app');
  const pager = page.getByRole('navigation', { name: 'Search result pages' });
  await expect(pager.getByText(/^Page 1 of \d+$/)).toBeVisible();
  const firstPage = await page.getByRole('list', { name: 'Search results' }).getByRole('listitem').allTextContents();
  await pager.getByRole('button', { name: 'Next page' }).click();
  await expect(pager.getByText(/^Page 2 of \d+$/)).toBeVisible();
  await expect(page.getByRole('list', { name: 'Search results' }).getByRole('listitem').first()).not.toHaveText(firstPage[0]);

  await search(page, 'zzz-nothing-matches-this');
  await expect(page.getByText('Nothing on Docker Hub matches “zzz-nothing-matches-this”')).toBeVisible();

  await search(page, 'busybox');
  await expect(busybox).toBeVisible();
  await new BerthApp(page).screenshot('hub-search');
});

test('a repository page: README, tags with digests, architectures, sizes and dates, paged', async ({ page }) => {
  const app = await openHub(page);
  await openRepository(page, 'busybox');
  await expect(page.getByRole('heading', { level: 4, name: 'What is BusyBox? The Swiss Army Knife of Embedded Linux' })).toBeVisible();
  const tags = page.getByRole('table', { name: 'Tags' });
  const latest = tags.getByRole('row', { name: /^latest / });
  await expect(latest).toContainText('linux/amd64');
  await expect(latest).toContainText('linux/arm64/v8');
  await expect(latest).not.toContainText('unknown');
  await expect(latest).toContainText(/sha256:[0-9a-f]{12}/);
  await expect(latest).toContainText('2.1 MB (linux/amd64)');
  await expect(latest).toContainText(/Oct 1, 2026|2026/);
  await expect(tags.getByRole('button', { name: 'Pull busybox:1.37' })).toBeVisible();
  await app.screenshot('hub-repository');
  // The page has an address: a reload comes back to it, and Back returns to the search.
  expect(new URL(page.url()).hash).toBe('#/hub/busybox');
  await page.reload();
  await expect(page.getByRole('heading', { level: 2, name: 'busybox' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Tags' }).getByRole('button', { name: 'Pull busybox:1.37' })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole('searchbox', { name: 'Search Docker Hub' })).toBeVisible();
  await openRepository(page, 'busybox');

  await page.getByRole('button', { name: '← Back to search' }).click();
  await openRepository(page, 'berthtest/many-tags');
  await expect(page.getByRole('heading', { level: 3, name: 'Tags (250)' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Tags' }).locator('tbody tr')).toHaveCount(25);
  const pager = page.getByRole('navigation', { name: 'Tag pages' });
  await expect(pager.getByText('Page 1 of 10')).toBeVisible();
  await pager.getByRole('button', { name: 'Next tags' }).click();
  await expect(pager.getByText('Page 2 of 10')).toBeVisible();
  await expect(page.getByRole('table', { name: 'Tags' }).locator('tbody tr')).toHaveCount(25);
  // Hub filters tag names across all pages, not just the one shown.
  await page.getByRole('searchbox', { name: 'Filter tags' }).fill('1.0.249');
  await expect(page.getByRole('heading', { level: 3, name: 'Tags (1)' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Tags' }).getByRole('button', { name: 'Pull berthtest/many-tags:1.0.249' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Filter tags' }).fill('no-such-tag');
  await expect(page.getByText('No tag matches “no-such-tag”')).toBeVisible();
});

test('hostile and odd data: no script runs, empty states instead of errors', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openHub(page);

  await openRepository(page, 'berthtest/unicode-demo');
  const readme = page.getByRole('region', { name: 'README' });
  await expect(readme.getByRole('heading', { name: 'Ünïcödé démo 🚢' })).toBeVisible();
  await expect(readme).toContainText('日本語のテキスト');
  await expect(readme.locator('script, iframe, [onerror], [onclick]')).toHaveCount(0);
  await expect(readme.getByText('click me')).toBeVisible();
  await expect(readme.locator('a[href^="javascript"]')).toHaveCount(0);
  // The short description is text, not markup.
  await expect(page.getByText('Ünïcödé démo 🚢 — 日本語 <b>not bold</b>')).toBeVisible();
  await new BerthApp(page).screenshot('hub-repository-unicode');

  await page.getByRole('button', { name: '← Back to search' }).click();
  await openRepository(page, 'berthtest/no-description');
  await expect(page.getByText('This repository has no description')).toBeVisible();

  await page.getByRole('button', { name: '← Back to search' }).click();
  await openRepository(page, 'berthtest/empty-tags');
  await expect(page.getByText('No tags yet')).toBeVisible();

  await page.getByRole('button', { name: '← Back to search' }).click();
  await openRepository(page, 'berthtest/odd-fields');
  await expect(page.getByRole('table', { name: 'Tags' })).toBeVisible();

  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
});

test('details a new user trips over: counts, imageless tags, README first, 404s and odd names', async ({ page }) => {
  await openHub(page);
  await search(page, 'billion-pulls');
  await expect(result(page, 'berthtest/billion-pulls')).toContainText('1B pulls');
  await result(page, 'berthtest/billion-pulls').getByRole('button', { name: 'Open berthtest/billion-pulls' }).click();
  const tags = page.getByRole('table', { name: 'Tags' });
  await expect(tags.getByRole('button', { name: 'Pull berthtest/billion-pulls:latest' })).toBeVisible();
  // Nothing to pull for a tag without images: no button.
  await expect(tags.getByRole('row', { name: /no-images/ })).toBeVisible();
  await expect(tags.getByRole('button', { name: 'Pull berthtest/billion-pulls:no-images' })).toHaveCount(0);
  // The README comes before the tag table.
  const readmeFirst = await page.evaluate(() => {
    const readme = document.getElementById('hub-readme-title');
    const tagsHeading = document.getElementById('hub-tags-title');
    return !!readme && !!tagsHeading && !!(readme.compareDocumentPosition(tagsHeading) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  expect(readmeFirst).toBe(true);

  // A repository Hub does not have: the notice, and no empty Tags/README sections under it.
  await page.goto(`${BerthApp.url().split('#')[0]}#/hub/berthtest%2Fno-such-repository`);
  await expect(page.getByRole('alert')).toContainText('Not found on Docker Hub');
  await expect(page.getByRole('heading', { level: 3, name: /^Tags/ })).toHaveCount(0);
  await expect(page.getByRole('heading', { level: 3, name: 'README' })).toHaveCount(0);

  // A search result whose name no registry accepts says why instead of failing when opened.
  await page.getByRole('button', { name: '← Back to search' }).click();
  await search(page, 'outside ascii');
  const odd = result(page, 'berthtest/ünïcode-name');
  await expect(odd.getByRole('note')).toContainText('is not a valid Docker Hub name');
  await expect(odd.getByRole('button', { name: /^Open / })).toHaveCount(0);

  // An error does not sit above the previous query's results.
  await search(page, 'busybox');
  await expect(result(page, 'busybox')).toBeVisible();
  await setE2eHubMode('offline');
  await search(page, 'busybox-offline');
  await expect(page.getByRole('alert')).toContainText('Docker Hub cannot be reached');
  await expect(page.getByRole('list', { name: 'Search results' })).toHaveCount(0);
});

test('a rate limit says when to retry; an offline Hub says the rest keeps working', async ({ page }) => {
  const app = await openHub(page);
  await setE2eHubMode('rate-limit', { retryAfter: '30' });
  await search(page, 'rate-limited-query');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Docker Hub is rate-limiting requests');
  await expect(alert).toContainText(/Try again in (2\d|30) s \(at /);
  await expect(alert.getByRole('button', { name: 'Try again' })).toBeDisabled();
  await app.screenshot('hub-rate-limited');

  await setE2eHubMode('offline');
  await search(page, 'offline-query');
  await expect(alert).toContainText('Docker Hub cannot be reached — the rest of Berth keeps working');
  await app.screenshot('hub-offline');
  // And it does: other views still answer.
  await app.go('Images');
  await app.go('Hub');

  await setE2eHubMode('ok');
  await page.getByRole('button', { name: 'Try again' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: /results? for “offline-query”/ })).toBeVisible();
});

async function registriesForm(page: Page) {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Settings');
  const section = page.getByRole('region', { name: 'Registries' });
  return { app, section, form: section.getByRole('form', { name: 'Log in to a registry' }) };
}

test('Settings > Registries: where secrets live, and a refused login shows why on the form', async ({ page }) => {
  const { section, form } = await registriesForm(page);
  // Browser mode has no OS keychain: the agent keeps secrets sealed in its own 0600 file.
  await expect(section.getByText(`in a file only your user can read (${process.env.BERTH_HOME}/credentials)`)).toBeVisible();
  await form.getByLabel('Registry').fill('not a registry!');
  await form.getByLabel('Username').fill('e2e-user');
  await form.getByLabel('Password or access token').fill('e2e-token');
  await form.getByRole('button', { name: 'Log in' }).click();
  await expect(form.getByRole('alert')).toContainText('is not a registry address');
});

test('without an engine to check it, a login is stored unchecked; log out removes it', async ({ page }) => {
  test.skip(process.env.BERTH_E2E_VM === '1', 'with the VM the engine checks logins (see the VM test below)');
  const { app, section, form } = await registriesForm(page);
  await form.getByLabel('Registry').fill('registry.e2e.example:5000');
  await form.getByLabel('Username').fill('e2e-user');
  await form.getByLabel('Password or access token').fill('e2e-token');
  await form.getByRole('button', { name: 'Log in' }).click();
  const logins = section.getByRole('table', { name: 'Registry logins' });
  await expect(logins.getByRole('row', { name: /registry\.e2e\.example:5000 e2e-user/ })).toBeVisible();
  await expect(form.getByLabel('Password or access token')).toHaveValue('');
  await app.screenshot('settings-registries');
  await section.getByRole('button', { name: 'Log out of registry.e2e.example:5000' }).click();
  await expect(section.getByText('No registry logins yet.')).toBeVisible();
});

test.describe('with the VM', () => {
  test.skip(() => process.env.BERTH_E2E_VM !== '1', 'needs the VM (run without BERTH_E2E_VM=0)');

  test('pick a tag, pull it from the (mirrored) registry, run it', async ({ page }) => {
    test.setTimeout(300_000);
    const mirrors = await docker('info', '--format', '{{json .RegistryConfig.Mirrors}}');
    test.skip(!mirrors.includes('10.0.2.2:5000'), `the engine has no local registry mirror (${mirrors}): start the agent with BERTH_REGISTRY_MIRROR`);
    await ensureE2eImage();
    const registry = await startRegistry();
    try {
      // What the fake Hub lists as busybox:1.37 must exist where the engine will look: the mirror.
      const mirrored = '10.0.2.2:5000/library/busybox:1.37';
      await docker('tag', E2E_IMAGE, mirrored);
      await docker('push', mirrored);
      await docker('rmi', mirrored);
      await docker('rm', '-f', RUN_NAME).catch(() => undefined);
      await docker('rmi', '-f', 'busybox:1.37').catch(() => undefined);

      const app = await openHub(page);
      await openRepository(page, 'busybox');
      await page.getByRole('table', { name: 'Tags' }).getByRole('button', { name: 'Pull busybox:1.37' }).click();
      const pull = page.getByRole('dialog', { name: 'Pull an image' });
      await expect(pull.getByLabel('Image reference')).toHaveValue('busybox:1.37');
      await expect(pull.getByRole('status')).toContainText('Pulled busybox:1.37', { timeout: 90_000 });
      await app.screenshot('hub-pulled');
      expect(await docker('image', 'ls', '-q', 'busybox:1.37')).not.toBe('');

      await pull.getByRole('button', { name: 'Run busybox:1.37…' }).click();
      const run = page.getByRole('dialog', { name: 'Run a container' });
      await expect(run.getByLabel('Image')).toHaveValue('busybox:1.37');
      await run.getByLabel('Name (optional)').fill(RUN_NAME);
      await run.getByLabel('Command (optional)').fill('sh -c "echo hello-from-hub-e2e; sleep 300"');
      await run.getByRole('button', { name: 'Run' }).click();
      // Creating and starting a container under TCG on a busy machine can take a while.
      await expect(run).toBeHidden({ timeout: 90_000 });
      await expect(page.getByRole('heading', { level: 1, name: RUN_NAME })).toBeVisible();
      await expect(page.getByRole('log', { name: `Logs of ${RUN_NAME}` })).toContainText('hello-from-hub-e2e', { timeout: 30_000 });
      expect(await docker('inspect', '--format', '{{.Config.Image}}', RUN_NAME)).toBe('busybox:1.37');
    } finally {
      await docker('rm', '-f', RUN_NAME).catch(() => undefined);
      await docker('rmi', '-f', 'busybox:1.37').catch(() => undefined);
      await registry.stop();
    }
  });

  test('the engine checks a registry login, and its refusal shows on the form', async ({ page }) => {
    test.setTimeout(120_000);
    const registry = await startRegistry();
    try {
      const app = new BerthApp(page);
      await app.open();
      await app.go('Settings');
      const section = page.getByRole('region', { name: 'Registries' });
      const form = section.getByRole('form', { name: 'Log in to a registry' });
      await form.getByLabel('Registry').fill('10.0.2.2:5999');
      await form.getByLabel('Username').fill('e2e-user');
      await form.getByLabel('Password or access token').fill('e2e-token');
      await form.getByRole('button', { name: 'Log in' }).click();
      await expect(form.getByRole('alert')).toContainText('The engine cannot reach 10.0.2.2:5999', { timeout: 60_000 });
      await expect(section.getByText('No registry logins yet.')).toBeVisible();
      await app.screenshot('settings-registries-refused');

      // The local registry takes anyone: the engine's check passes and the login is kept.
      await form.getByLabel('Registry').fill('10.0.2.2:5000');
      await form.getByLabel('Password or access token').fill('e2e-token');
      await form.getByRole('button', { name: 'Log in' }).click();
      await expect(section.getByRole('table', { name: 'Registry logins' }).getByRole('row', { name: /10\.0\.2\.2:5000 e2e-user/ })).toBeVisible({ timeout: 60_000 });
      await section.getByRole('button', { name: 'Log out of 10.0.2.2:5000' }).click();
      await expect(section.getByText('No registry logins yet.')).toBeVisible();
    } finally {
      await registry.stop();
    }
  });
});
