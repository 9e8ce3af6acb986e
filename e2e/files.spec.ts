import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import { BerthApp } from './pages/berth-app';
import { importBusyboxImage } from '../electron/testing/busybox';
import { docker } from './support/engine-fixtures';

// The Files tab both ways on a real engine: a stopped container browsed, a file uploaded and one edited, a
// folder made and deleted, a folder downloaded as .tar.
test.describe.configure({ mode: 'serial', timeout: 240_000 });
const SLOW = 90_000;
test.skip(() => process.env.BERTH_E2E_VM !== '1', 'needs the VM (run without BERTH_E2E_VM=0)');

const BOX = 'e2e-files';
/** busybox with rm (deleting is `rm -rf` in the container) and a page to edit. */
const FILES_IMAGE = 'berth-e2e/files:1';

test.beforeAll(async () => {
  if (!(await docker('image', 'ls', '-q', FILES_IMAGE))) {
    await importBusyboxImage({
      tag: FILES_IMAGE,
      applets: ['sh', 'ls', 'cat', 'rm', 'sleep'],
      files: { 'www/index.html': 'hello from berth e2e\n' },
      changes: ['CMD ["sleep", "3600"]'],
      env: process.env,
    });
  }
  await docker('rm', '-f', BOX).catch(() => undefined);
  await docker('create', '--name', BOX, FILES_IMAGE);
});
test.afterAll(async () => {
  await docker('rm', '-f', BOX).catch(() => undefined);
});

async function openFiles(page: Page, folder: string) {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Containers');
  await page.getByRole('row', { name: BOX, exact: true }).getByRole('button', { name: `Open ${BOX}` }).click();
  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByRole('button', { name: `${folder}/`, exact: true }).click();
  await expect(page.getByRole('table', { name: `Files in /${folder}` })).toBeVisible({ timeout: SLOW });
  return app;
}

test('a stopped container: browse, upload, edit, new folder, and delete refused until it runs', async ({ page }) => {
  const app = await openFiles(page, 'www');
  await expect(page.getByText('The container is stopped')).toBeVisible();
  await page.getByLabel('Files to upload').setInputFiles({ name: 'up.txt', mimeType: 'text/plain', buffer: Buffer.from('uploaded from the browser\n') });
  await expect(page.getByRole('button', { name: 'up.txt', exact: true })).toBeVisible({ timeout: SLOW });

  await page.getByRole('button', { name: 'Edit index.html' }).click();
  const editor = page.getByRole('dialog', { name: 'Edit /www/index.html' });
  await editor.getByRole('textbox').fill('edited in berth\n');
  await editor.getByRole('button', { name: 'Save' }).click();
  await expect(editor).toBeHidden({ timeout: SLOW });

  await page.getByRole('button', { name: 'New folder' }).click();
  const nf = page.getByRole('dialog', { name: 'New folder in /www' });
  await nf.getByLabel('Folder name').fill('made');
  await nf.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByRole('button', { name: 'made/', exact: true })).toBeVisible({ timeout: SLOW });
  await app.screenshot('container-files');

  await page.getByRole('button', { name: 'Delete made' }).click();
  await expect(page.getByRole('alert')).toContainText('Deleting made needs the container running');
});

test('the changes are in the container; delete works once it runs; a folder downloads as .tar', async ({ page }) => {
  await docker('start', BOX);
  expect(await docker('exec', BOX, 'cat', '/www/up.txt')).toBe('uploaded from the browser');
  expect(await docker('exec', BOX, 'cat', '/www/index.html')).toBe('edited in berth');
  await openFiles(page, 'www');
  await page.getByRole('button', { name: 'Delete made' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete made?' });
  await expect(confirm).toContainText('/www/made and everything in it');
  await confirm.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('button', { name: 'made/', exact: true })).toBeHidden({ timeout: SLOW });
  expect(await docker('exec', BOX, 'ls', '/www')).not.toContain('made');

  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download folder (.tar)' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toBe('www.tar');
  const tar = fs.readFileSync((await download.path())!);
  expect(tar.toString('latin1')).toContain('www/up.txt');
});
