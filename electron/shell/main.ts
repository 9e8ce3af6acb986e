// Electron main: thin by design. It starts or attaches to the agent (which owns the VM and everything else),
// opens the window, and adds what only a desktop app has: tray, menus, notifications, dialogs, external links.
// Closing the window never stops containers; "Quit Berth" stops the VM and the agent.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  nativeImage,
  Notification,
  protocol,
  safeStorage,
  session,
  shell,
  Tray,
  type IpcMainInvokeEvent,
  type Session,
} from 'electron';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { berthPaths } from '../base/paths';
import { ensureAgent, type AgentClient } from '../agent/client';
import { ELECTRON_ORIGIN } from '../base/web-policy';
import type { BerthStatus } from '../contract/contract';
import { isExternalWebUrl, nativeIpc, type AgentEndpoint } from '../contract/native';
import { isTrustedSender } from './ipc-sender';
import { permissionGranted } from './permissions';
import { serveRendererFile } from './renderer-protocol';
import { keychainKey } from './keychain-key';

const ROOT = path.resolve(__dirname, '..', '..');
const RENDERER_DIR = path.join(ROOT, 'dist', 'renderer');
const ICON = path.join(ROOT, 'resources', 'icons', 'tray.png');

protocol.registerSchemesAsPrivileged([
  { scheme: new URL(ELECTRON_ORIGIN).protocol.slice(0, -1), privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

let window: BrowserWindow | undefined;
let tray: Tray | undefined;
let agent: AgentClient | undefined;

function handle<S extends z.ZodType, R>(channel: string, schema: S, fn: (request: z.output<S>) => Promise<R> | R) {
  ipcMain.handle(channel, async (event: IpcMainInvokeEvent, raw: unknown) => {
    // Only our own page may call in (and learn the agent's token); see ipc-sender.ts for why not by origin.
    if (!isTrustedSender(event.senderFrame)) throw new Error(`Berth refused ${channel}: the caller is not Berth's own page`);
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new Error(`Invalid request on ${channel}: ${parsed.error.issues[0]?.message}`);
    return fn(parsed.data);
  });
}

function registerNativeIpc(endpoint: AgentEndpoint) {
  handle(nativeIpc.agentEndpoint.channel, nativeIpc.agentEndpoint.request, () => endpoint);
  handle(nativeIpc.notify.channel, nativeIpc.notify.request, ({ title, body }) => {
    new Notification({ title, body }).show();
  });
  handle(nativeIpc.openExternal.channel, nativeIpc.openExternal.request, ({ url }) => shell.openExternal(url));
  handle(nativeIpc.saveFile.channel, nativeIpc.saveFile.request, async ({ defaultName, content, encoding }) => {
    const owner = window ?? BrowserWindow.getFocusedWindow();
    const options = { defaultPath: path.join(app.getPath('downloads'), defaultName) };
    const result = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    if (result.canceled || !result.filePath) return null;
    await fs.writeFile(result.filePath, Buffer.from(content, encoding ?? 'utf8'));
    return result.filePath;
  });
  handle(nativeIpc.pickFolder.channel, nativeIpc.pickFolder.request, async ({ title }) => {
    const owner = window ?? BrowserWindow.getFocusedWindow();
    const options: Electron.OpenDialogOptions = { title, properties: ['openDirectory', 'createDirectory'] };
    const result = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  });
}

/**
 * Electron grants web permissions (camera, microphone, geolocation, devices ...) unless told otherwise; Berth's
 * page needs only the clipboard, and no other page needs anything (permissions.ts decides).
 */
function denyUnusedPermissions(ses: Session) {
  ses.setPermissionRequestHandler((_contents, permission, grant, details) => grant(permissionGranted(permission, details)));
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    permissionGranted(permission, { requestingUrl: details.requestingUrl ?? requestingOrigin, isMainFrame: details.isMainFrame }),
  );
  ses.setDevicePermissionHandler(() => false);
}

function openWindow() {
  if (window) {
    window.show();
    window.focus();
    return;
  }
  window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 560,
    title: 'Berth',
    show: false,
    webPreferences: {
      preload: path.join(__dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.once('ready-to-show', () => window?.show());
  // The page never navigates away or opens windows; web links (http and https only) go to the user's browser.
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.on('closed', () => (window = undefined));
  void window.loadURL(`${ELECTRON_ORIGIN}/index.html`);
}

function buildTray() {
  tray = new Tray(nativeImage.createFromPath(ICON));
  tray.setToolTip('Berth');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Berth', click: () => openWindow() },
      { type: 'separator' },
      // The same agent calls as the status bar's buttons; progress and errors show in the window and status.
      { label: 'Start VM', click: () => void agent?.open('vm.start', {}, { onItem: () => undefined }).done.catch(() => undefined) },
      { label: 'Stop VM', click: () => void agent?.call('vm.stop', {}).catch(() => undefined) },
      { label: 'Restart VM', click: () => void agent?.open('vm.restart', {}, { onItem: () => undefined }).done.catch(() => undefined) },
      { type: 'separator' },
      { label: 'Quit Berth (stops the VM)', click: () => void quitEverything() },
    ]),
  );
}

async function quitEverything() {
  try {
    await agent?.call('agent.shutdown', {});
  } finally {
    app.exit(0);
  }
}

function notifyOnVmErrors(client: AgentClient) {
  let last: BerthStatus['vm']['state'] | undefined;
  client.open('status.watch', {}, {
    onItem: (status) => {
      if (status.vm.state === 'error' && last !== 'error') {
        new Notification({ title: 'Berth: the VM stopped', body: `${status.vm.reason}${status.vm.hint ? `\n${status.vm.hint}` : ''}` }).show();
      }
      last = status.vm.state;
    },
  });
}

async function main() {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const paths = berthPaths();
  agent = await ensureAgent(paths, {
    execPath: process.execPath,
    agentCommand: [path.join(ROOT, 'electron', 'cli', 'bin.mjs'), 'agent'],
    env: { ELECTRON_RUN_AS_NODE: '1' },
  });
  const info = JSON.parse(await fs.readFile(paths.agentInfo, 'utf8')) as { port: number; token: string };
  // Registry logins: sealed with a key the OS keychain protects, not the agent's key file.
  const key = await keychainKey(path.join(paths.credentials, 'keychain.key'), safeStorage).catch(() => null);
  if (key) await agent.call('registry.useKeychainKey', { key });

  protocol.handle('app', (request) => serveRendererFile(RENDERER_DIR, request.url, info.port));
  denyUnusedPermissions(session.defaultSession);
  registerNativeIpc({ agentUrl: `ws://127.0.0.1:${info.port}/rpc`, token: info.token });
  buildTray();
  notifyOnVmErrors(agent);
  openWindow();

  app.on('second-instance', () => openWindow());
  app.on('activate', () => openWindow());
  // Closing the last window keeps Berth (and the containers) running in the tray.
  app.on('window-all-closed', () => {});
}

main().catch((err: unknown) => {
  dialog.showErrorBox('Berth could not start', err instanceof Error ? err.message : String(err));
  app.exit(1);
});
