import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { BerthApp } from './pages/berth-app';
import { countingComposeFile } from '../electron/testing/compose-project';
import { docker, E2E_IMAGE, ensureE2eImage } from './support/engine-fixtures';

// The Compose view against the real VM: open a two-service project in the home folder (shared by default), Up,
// both services running, their logs interleaved in time order with a service filter and search, Down.
// The agent runs the real docker compose from the user's plugin folder (`berth doctor --fix` installs it).
test.describe.configure({ mode: 'serial', timeout: 300_000 });
const SLOW = 120_000;
test.skip(() => process.env.BERTH_E2E_VM !== '1', 'needs the VM (run without BERTH_E2E_VM=0)');

let dir: string;
let file: string;
let project: string;

test.beforeAll(async () => {
  await ensureE2eImage();
  dir = fs.mkdtempSync(path.join(os.homedir(), '.berth-e2e-compose-'));
  project = path.basename(dir).toLowerCase().replace(/[^a-z0-9_-]/g, '');
  file = path.join(dir, 'compose.yaml');
  fs.writeFileSync(file, countingComposeFile(E2E_IMAGE, ['alpha', 'beta']));
});

test.afterAll(async () => {
  const ids = (await docker('ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`).catch(() => ''))
    .split('\n')
    .filter(Boolean);
  if (ids.length) await docker('rm', '-f', ...ids).catch(() => undefined);
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

test('open a compose project, Up, see both services log interleaved, filter and search, Down', async ({ page }) => {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Compose');
  await page.getByLabel('Compose file').fill(dir);
  await page.getByRole('button', { name: 'Open', exact: true }).click();

  const services = page.getByRole('table', { name: 'Services' });
  await expect(services.getByRole('row')).toHaveCount(3, { timeout: SLOW });
  await expect(services.locator('tr[data-service="alpha"]')).toContainText('not created');
  await expect(page.getByText(file, { exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Up', exact: true }).click();
  await expect(page.getByRole('log', { name: 'Compose output' })).toContainText(/beta-1\s+Started/, { timeout: SLOW });
  await expect(services.locator('tr[data-service="alpha"] .service-state')).toContainText('running', { timeout: SLOW });
  await expect(services.locator('tr[data-service="beta"] .service-state')).toContainText('running');

  const lines = page.getByRole('log', { name: 'Log lines' });
  await expect(lines).toContainText('alpha 4', { timeout: SLOW });
  await expect(lines).toContainText('beta 4', { timeout: SLOW });
  await app.screenshot('compose');
  // Interleaved in time order: both services' lines, times never going back, the service changing often.
  const rows = await lines.locator('.log-line').evaluateAll((els) =>
    els.map((e) => ({ service: e.getAttribute('data-service'), time: e.querySelector('.log-time')?.textContent ?? '' })),
  );
  for (let i = 1; i < rows.length; i++) expect(rows[i].time >= rows[i - 1].time, `line ${i} in time order`).toBe(true);
  expect(rows.filter((r, i) => i > 0 && r.service !== rows[i - 1].service).length).toBeGreaterThan(2);

  // The service filter and the search.
  await page.getByRole('checkbox', { name: 'alpha' }).uncheck();
  await expect(lines.locator('.log-line[data-service="alpha"]')).toHaveCount(0);
  await expect(lines.locator('.log-line[data-service="beta"]').first()).toBeVisible();
  await page.getByRole('checkbox', { name: 'alpha' }).check();
  await page.getByRole('searchbox', { name: 'Search logs' }).fill('beta 2');
  await expect(lines.locator('.log-line').first()).toContainText('beta 2');
  const found = await lines.locator('.log-text').allTextContents();
  expect(found.every((t) => t.includes('beta 2'))).toBe(true);
  await page.getByRole('searchbox', { name: 'Search logs' }).fill('');

  await page.getByRole('button', { name: 'Down', exact: true }).click();
  await expect(page.getByRole('log', { name: 'Compose output' })).toContainText(/alpha-1\s+Removed/, { timeout: SLOW });
  await expect(services.locator('tr[data-service="alpha"]')).toContainText('not created', { timeout: SLOW });
  await expect(services.locator('tr[data-service="beta"]')).toContainText('not created');
});
