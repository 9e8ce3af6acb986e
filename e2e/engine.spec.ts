import { expect, test, type Page } from '@playwright/test';
import { BerthApp } from './pages/berth-app';
import { docker, E2E_IMAGE, ensureE2eImage, importUniqueImage, startRegistry } from './support/engine-fixtures';

// The user's path through a real VM and engine: run, logs, terminal, stop/remove, bulk stop, pull.
// Generous: the engine runs under TCG on a shared 2-core machine, where a container start can take 30 s or more.
test.describe.configure({ mode: 'serial', timeout: 240_000 });
const SLOW = 90_000;
test.skip(() => process.env.BERTH_E2E_VM !== '1', 'needs the VM (run without BERTH_E2E_VM=0)');

const WEB = 'e2e-web';
const BULK = ['e2e-bulk-1', 'e2e-bulk-2', 'e2e-bulk-3'];
const OTHERS = ['e2e-voluser', 'e2e-pulled', 'e2e-port-taken'];
const TAKEN_PORT = 18090;
const HOST_PORT = 18080;

test.beforeAll(async () => {
  await ensureE2eImage();
  await docker('rm', '-f', WEB, ...BULK, ...OTHERS).catch(() => undefined);
});

test.afterAll(async () => {
  await docker('rm', '-f', WEB, ...BULK, ...OTHERS).catch(() => undefined);
});

function row(page: Page, name: string) {
  return page.getByRole('row', { name, exact: true });
}

test('run a container with a published port and see it running', async ({ page }) => {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Images');
  await expect(page.getByRole('cell', { name: E2E_IMAGE, exact: true })).toBeVisible();
  await app.screenshot('images');
  await page.getByRole('button', { name: `Run ${E2E_IMAGE}` }).click();
  const dialog = page.getByRole('dialog', { name: 'Run a container' });
  await dialog.getByLabel('Name (optional)').fill(WEB);
  await dialog.getByLabel('Published ports').fill('99999:80');
  await dialog.getByRole('button', { name: 'Run' }).click();
  // Refused before anything is sent, and the field says why.
  await expect(dialog.getByRole('alert')).toContainText('not HOST:CONTAINER');
  await dialog.getByLabel('Published ports').fill(`${HOST_PORT}:80`);
  await dialog.getByLabel('Environment variables').fill('GREETING=hello');
  await dialog.getByLabel('Command (optional)').fill('sh -c "echo started-$GREETING-e2e; exec httpd -f -v -p 80 -h /www"');
  await dialog.getByRole('button', { name: 'Run' }).click();
  await expect(dialog).toBeHidden({ timeout: SLOW });

  // The Run dialog opens the new container's logs.
  await expect(page.getByRole('heading', { level: 1, name: WEB })).toBeVisible();
  await expect(page.getByRole('log', { name: `Logs of ${WEB}` })).toContainText('started-hello-e2e', { timeout: SLOW });
  await app.screenshot('container-logs');

  await app.go('Containers');
  await expect(row(page, WEB).getByText('running')).toBeVisible();
  const portLink = row(page, WEB).getByRole('link', { name: `Open port ${HOST_PORT} in the browser` });
  await expect(portLink).toHaveAttribute('href', `http://localhost:${HOST_PORT}`);
  await app.screenshot('containers');
  // What the link opens: the container's page through the host port.
  await expect
    .poll(async () => (await fetch(`http://localhost:${HOST_PORT}/`).then((r) => r.text()).catch(() => '')), { timeout: SLOW })
    .toContain('hello from berth e2e');
});

test('a published port another program holds on the host is said plainly, in the dialog and the row', async ({ page }) => {
  const net = await import('node:net');
  const holder = net.createServer();
  await new Promise<void>((r) => holder.listen(TAKEN_PORT, '127.0.0.1', r));
  try {
    const app = new BerthApp(page);
    await app.open();
    await app.go('Containers');
    await page.getByRole('button', { name: 'Run a container…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run a container' });
    await dialog.getByLabel('Image').fill(E2E_IMAGE);
    await dialog.getByLabel('Name (optional)').fill(OTHERS[2]);
    await dialog.getByLabel('Published ports').fill(`${TAKEN_PORT}:80`);
    await dialog.getByLabel('Command (optional)').fill('httpd -f -p 80 -h /www');
    await dialog.getByRole('button', { name: 'Run' }).click();
    await expect(dialog.getByRole('alert')).toContainText('The container runs, but a port is not reachable from this computer', { timeout: SLOW });
    await expect(dialog.getByRole('alert')).toContainText(`Port ${TAKEN_PORT}:`);
    await app.screenshot('run-port-taken');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('note').filter({ hasText: `Not reachable from this computer: port ${TAKEN_PORT}` })).toBeVisible();
  } finally {
    holder.close();
    await docker('rm', '-f', OTHERS[2]).catch(() => undefined);
  }
});

test('a 900x600 window: rows keep their primary action and a menu of the others, the Run button needs no scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 900, height: 600 });
  const app = new BerthApp(page);
  await app.open();
  await app.go('Containers');
  const stop = row(page, WEB).getByRole('button', { name: `Stop ${WEB}` });
  await expect(stop).toBeInViewport({ ratio: 1 });
  await expect(stop).toHaveText('Stop');
  // Nothing scrolls sideways.
  const list = page.getByRole('table', { name: 'Containers' });
  expect(await list.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await app.screenshot('containers-900x600');
  // The other actions are one menu away: by keyboard (Enter opens it on its first item, Escape closes it) ...
  const more = row(page, WEB).getByRole('button', { name: `More actions for ${WEB}` });
  await expect(more).toBeInViewport({ ratio: 1 });
  await more.focus();
  await page.keyboard.press('Enter');
  const menu = page.getByRole('menu', { name: `More actions for ${WEB}` });
  await expect(menu.getByRole('menuitem', { name: `Restart ${WEB}` })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: `Pause ${WEB}` })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: `Remove ${WEB}` })).toBeFocused();
  for (const item of await menu.getByRole('menuitem').all()) await expect(item).toBeInViewport({ ratio: 1 });
  await app.screenshot('container-menu-900x600');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(more).toBeFocused();
  // ... and with the mouse: Pause from the menu pauses, Unpause takes its place, Remove asks first.
  await more.click();
  await menu.getByRole('menuitem', { name: `Pause ${WEB}` }).click();
  await expect(row(page, WEB).getByText('paused')).toBeVisible({ timeout: SLOW });
  await more.click();
  await menu.getByRole('menuitem', { name: `Unpause ${WEB}` }).click();
  await expect(row(page, WEB).getByText('running')).toBeVisible({ timeout: SLOW });
  await more.click();
  await menu.getByRole('menuitem', { name: `Remove ${WEB}` }).click();
  const confirm = page.getByRole('dialog', { name: `Remove ${WEB}?` });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(row(page, WEB).getByText('running')).toBeVisible();
  await page.getByRole('button', { name: 'Run a container…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Run a container' });
  await expect(dialog.getByRole('button', { name: 'Run' })).toBeInViewport({ ratio: 1 });
  await app.screenshot('run-dialog-900x600');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  for (const view of ['Images', 'Volumes', 'Networks', 'Hub'] as const) {
    await app.go(view);
    await app.screenshot(`${view.toLowerCase()}-900x600`);
  }
});

test('search its logs', async ({ page }) => {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Containers');
  await row(page, WEB).getByRole('button', { name: `Open ${WEB}` }).click();
  const log = page.getByRole('log', { name: `Logs of ${WEB}` });
  await expect(log).toContainText('started-hello-e2e');
  await page.getByRole('searchbox', { name: 'Search logs' }).fill('STARTED-hello');
  await expect(page.getByText('1 of 1')).toBeVisible();
  await expect(log.locator('mark')).toHaveText('started-hello');
  await page.getByRole('checkbox', { name: 'Timestamps' }).check();
  await expect(log).toContainText(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z/);
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe(`${WEB}.log`);
  const fs = await import('node:fs/promises');
  expect(await fs.readFile((await file.path())!, 'utf8')).toContain('started-hello-e2e');
});

/** The web container's Terminal tab, its shell's prompt shown and the terminal focused. */
async function openWebTerminal(page: Page) {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Containers');
  await row(page, WEB).getByRole('button', { name: `Open ${WEB}` }).click();
  await page.getByRole('tab', { name: 'Terminal' }).click();
  const term = page.getByTestId('terminal');
  await expect(term.locator('.xterm-rows')).toContainText('#', { timeout: SLOW });
  await term.click();
  return { app, term };
}

test('open a terminal, type a command, see its output', async ({ page }) => {
  const { app, term } = await openWebTerminal(page);
  await page.keyboard.type('echo term-$((6*7)); cat /etc/motd\n');
  await expect(term.locator('.xterm-rows')).toContainText('term-42', { timeout: SLOW });
  await expect(term.locator('.xterm-rows')).toContainText('berth e2e fixture');
  await app.screenshot('container-terminal');
  // The shell's TTY follows the panel's size.
  let probe = 0;
  const size = async () => {
    const tag = `SZ${++probe}`;
    await page.keyboard.type(`echo ${tag}=$(stty size)=\n`);
    const re = new RegExp(`${tag}=(\\d+ \\d+)=`);
    let found = '';
    await expect
      .poll(async () => {
        found = re.exec((await term.locator('.xterm-rows').innerText()).replace(/\u00a0/g, ' '))?.[1] ?? '';
        return found;
      })
      .not.toBe('');
    return found;
  };
  const before = await size();
  await page.setViewportSize({ width: 900, height: 560 });
  await expect.poll(size, { timeout: SLOW }).not.toBe(before);
  await page.keyboard.type('exit\n');
  await expect(page.getByText('The shell exited with code 0.')).toBeVisible({ timeout: SLOW });
  await expect(page.getByRole('button', { name: 'Start a new shell' })).toBeVisible();
});

test('a terminal survives a round trip through another view', async ({ page }) => {
  const { app, term } = await openWebTerminal(page);
  await page.keyboard.type('echo round-$((2*21)); export KEPT=yes\n');
  await expect(term.locator('.xterm-rows')).toContainText('round-42', { timeout: SLOW });
  await app.go('Images');
  await app.go('Containers');
  await row(page, WEB).getByRole('button', { name: `Open ${WEB}` }).click();
  await page.getByRole('tab', { name: 'Logs' }).click();
  await page.getByRole('tab', { name: 'Terminal' }).click();
  // The same shell: its scrollback and its variables are still there, and no second session was opened.
  await expect(term.locator('.xterm-rows')).toContainText('round-42');
  await expect(page.getByRole('tablist', { name: 'Terminal sessions' }).getByRole('tab')).toHaveText(['Shell 1']);
  await term.click();
  await page.keyboard.type('echo kept=$KEPT\n');
  await expect(term.locator('.xterm-rows')).toContainText('kept=yes', { timeout: SLOW });
  await page.getByRole('button', { name: 'Close Shell 1' }).click();
  await expect(page.getByRole('tablist', { name: 'Terminal sessions' }).getByRole('tab')).toHaveCount(0);
});

test('inspect, stats and files of the running container', async ({ page }) => {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Containers');
  await row(page, WEB).getByRole('button', { name: `Open ${WEB}` }).click();
  await page.getByRole('tab', { name: 'Inspect' }).click();
  await expect(page.getByRole('definition').filter({ hasText: /^hello$/ })).toBeVisible();
  await page.getByRole('tab', { name: 'Stats' }).click();
  await expect(page.getByRole('img', { name: /CPU over time/ })).toBeVisible({ timeout: SLOW });
  await app.screenshot('container-stats');
  await page.getByRole('tab', { name: 'Files' }).click();
  await page.getByRole('button', { name: 'www/', exact: true }).click();
  // The listing shown is the folder clicked, never the previous one with a stale entry to click.
  await expect(page.getByRole('table', { name: 'Files in /www' })).toBeVisible({ timeout: SLOW });
  await page.getByRole('button', { name: 'index.html', exact: true }).click();
  await expect(page.getByLabel('Contents of /www/index.html')).toHaveText('hello from berth e2e\n');
});

test('pause, unpause, stop and remove it', async ({ page }) => {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Containers');
  await row(page, WEB).getByRole('button', { name: `Pause ${WEB}` }).click();
  await expect(row(page, WEB).getByText('paused')).toBeVisible({ timeout: SLOW });
  await row(page, WEB).getByRole('button', { name: `Unpause ${WEB}` }).click();
  await expect(row(page, WEB).getByText('running')).toBeVisible({ timeout: SLOW });
  await row(page, WEB).getByRole('button', { name: `Stop ${WEB}` }).click();
  await expect(row(page, WEB).getByText('exited')).toBeVisible({ timeout: SLOW });
  await row(page, WEB).getByRole('button', { name: `Remove ${WEB}` }).click();
  const dialog = page.getByRole('dialog', { name: `Remove ${WEB}?` });
  await dialog.getByRole('button', { name: 'Remove' }).click();
  await expect(row(page, WEB)).toHaveCount(0, { timeout: SLOW });
});

test('bulk-stop three containers', async ({ page }) => {
  for (const name of BULK) await docker('run', '-d', '--name', name, '--label', 'com.docker.compose.project=e2e-shop', E2E_IMAGE);
  const app = new BerthApp(page);
  await app.open();
  await app.go('Containers');
  // Live updates: containers made with the docker CLI show up without a reload.
  for (const name of BULK) await expect(row(page, name).getByText('running')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search containers' }).fill('e2e-bulk');
  for (const name of BULK) await page.getByRole('checkbox', { name: `Select ${name}` }).check();
  await expect(page.getByText('3 selected')).toBeVisible();
  await page.getByRole('toolbar', { name: 'Selected containers' }).getByRole('button', { name: 'Stop selected' }).click();
  for (const name of BULK) await expect(row(page, name).getByText('exited')).toBeVisible({ timeout: SLOW });
  await app.screenshot('containers-bulk-stopped');

  // The same three as a compose project: one header, and actions for the whole group.
  const group = page.getByRole('row', { name: 'Compose project e2e-shop' });
  await expect(group).toContainText('0/3 running');
  await group.getByRole('button', { name: 'Start project e2e-shop', exact: true }).click();
  await expect(group).toContainText('3/3 running', { timeout: SLOW });

  // An image that containers still use: the engine refuses, the UI shows its reason.
  await app.go('Images');
  await expect(page.getByRole('row').filter({ hasText: E2E_IMAGE }).getByRole('cell', { name: /containers?$/ })).toBeVisible();
  await page.getByRole('button', { name: `Remove image ${E2E_IMAGE}` }).click();
  // Nothing goes on one click: the confirmation names the image.
  await page.getByRole('dialog', { name: `Remove image ${E2E_IMAGE}?` }).getByRole('button', { name: 'Remove image' }).click();
  await expect(page.getByRole('alert')).toContainText(/conflict|being used|in use/i);
});

test('pull an image from a local registry and watch its progress', async ({ page }) => {
  // Layer progress exists only for layers the engine lacks: the pushed image has a fresh one.
  const registry = await startRegistry();
  try {
    const ref = `10.0.2.2:5000/berth-e2e/pulled:${Date.now()}`;
    await importUniqueImage(ref);
    await docker('push', ref);
    await docker('rmi', ref);
    const app = new BerthApp(page);
    await app.open();
    await app.go('Images');
    await page.getByRole('button', { name: 'Pull an image…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Pull an image' });
    await dialog.getByLabel('Image reference').fill(ref);
    await dialog.getByRole('button', { name: 'Pull' }).click();
    await expect(dialog.getByRole('listitem', { name: /^Layer / }).first()).toBeVisible({ timeout: SLOW });
    await expect(dialog.getByRole('status')).toContainText(`Pulled ${ref}`, { timeout: SLOW });
    await expect(dialog.getByRole('progressbar').first()).toBeVisible();
    await app.screenshot('images-pull');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('cell', { name: ref, exact: true })).toBeVisible();
    await docker('rmi', ref).catch(() => undefined);
  } finally {
    await registry.stop();
  }
});

test('run an image the engine lacks: the dialog offers the pull, then runs it', async ({ page }) => {
  const registry = await startRegistry();
  const ref = `10.0.2.2:5000/berth-e2e/run-missing:${Date.now()}`;
  try {
    // The fixture image under a registry name, then only that name removed: the engine lacks `ref`.
    await docker('tag', E2E_IMAGE, ref);
    await docker('push', ref);
    await docker('rmi', ref);
    const app = new BerthApp(page);
    await app.open();
    await app.go('Images');
    await page.getByRole('button', { name: 'Run…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Run a container' });
    await dialog.getByLabel('Image').fill(ref);
    await dialog.getByLabel('Name (optional)').fill(OTHERS[1]);
    await dialog.getByLabel('Command (optional)').fill('sh -c "echo pulled-and-ran; exec sleep 300"');
    await dialog.getByRole('button', { name: 'Run' }).click();
    await expect(dialog.getByRole('alert')).toContainText(`${ref} is not on the engine yet`, { timeout: SLOW });
    await dialog.getByRole('button', { name: `Pull ${ref} and run` }).click();
    const pull = page.getByRole('dialog', { name: 'Pull an image' });
    await pull.getByRole('button', { name: 'Run it now' }).click({ timeout: SLOW });
    await expect(page.getByRole('log', { name: `Logs of ${OTHERS[1]}` })).toContainText('pulled-and-ran', { timeout: SLOW });
  } finally {
    await docker('rm', '-f', OTHERS[1]).catch(() => undefined);
    await docker('rmi', ref).catch(() => undefined);
    await registry.stop();
  }
});

test('volumes and networks: create, see who uses them, remove', async ({ page }) => {
  const app = new BerthApp(page);
  await app.open();
  await app.go('Volumes');
  await page.getByLabel('New volume name').fill('e2e-vol');
  await page.getByRole('button', { name: 'Create volume' }).click();
  const volRow = page.getByRole('row').filter({ has: page.getByRole('cell', { name: 'e2e-vol', exact: true }) });
  await expect(volRow).toBeVisible();
  await docker('run', '-d', '--name', 'e2e-voluser', '-v', 'e2e-vol:/data', E2E_IMAGE, 'sh', '-c', 'echo x > /data/f; exec sleep 300');
  await expect(volRow.getByRole('cell', { name: 'e2e-voluser' })).toBeVisible();
  await page.getByRole('button', { name: 'Measure sizes' }).click();
  await expect(volRow.getByRole('cell', { name: /\d+ B$/ })).toBeVisible({ timeout: SLOW });
  await app.screenshot('volumes');
  // The engine refuses to remove a volume in use, and the UI says so.
  await page.getByRole('button', { name: 'Remove volume e2e-vol' }).click();
  await page.getByRole('dialog', { name: 'Remove volume e2e-vol?' }).getByRole('button', { name: 'Remove volume' }).click();
  await expect(page.getByRole('alert')).toContainText(/in use/i);
  await docker('rm', '-f', 'e2e-voluser');
  await expect(volRow.getByRole('cell', { name: 'unused' })).toBeVisible();
  await page.getByRole('button', { name: 'Remove volume e2e-vol' }).click();
  const confirm = page.getByRole('dialog', { name: 'Remove volume e2e-vol?' });
  await expect(confirm).toContainText('deleted for good');
  await confirm.getByRole('button', { name: 'Remove volume' }).click();
  await expect(volRow).toHaveCount(0);

  await app.go('Networks');
  await page.getByLabel('New network name').fill('e2e-net');
  await page.getByRole('button', { name: 'Create network' }).click();
  await expect(page.getByRole('cell', { name: 'e2e-net', exact: true })).toBeVisible();
  await app.screenshot('networks');
  await page.getByRole('button', { name: 'Remove network e2e-net' }).click();
  await expect(page.getByRole('cell', { name: 'e2e-net', exact: true })).toHaveCount(0);
});
