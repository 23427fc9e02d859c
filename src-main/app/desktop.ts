// Desktop entry: one window, sandboxed, talking to the core through the preload bridge. Every
// security decision (links, navigation, permissions, IPC senders, folders to show) is a tested
// function in security-policy.ts; this file only wires them to Electron.
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RpcError } from '../../src-shared/rpc/errors';
import { ipcTransport } from '../transport/electron/ipc-transport';
import { composeApp } from '../core/compose';
import { knownFolders } from './known-folders';
import { allowNavigation, allowPermission, externalUrlToOpen, folderToShow, isTrustedSender, rendererSource } from './security-policy';

const here = fileURLToPath(new URL('.', import.meta.url));
const source = rendererSource({ isPackaged: app.isPackaged, devUrl: process.env.ELECTRON_RENDERER_URL, indexFile: join(here, '../renderer/index.html') });

const { core, dispatcher } = composeApp({
  transport: 'electron',
  pickFolder: async (title) => {
    const res = await dialog.showOpenDialog({ title: title ?? 'Choose a folder', properties: ['openDirectory'] });
    return res.canceled ? null : (res.filePaths[0] ?? null);
  },
  showFolder: async (path) => {
    const target = folderToShow(path, knownFolders(core.currentProject));
    if (!target) throw new RpcError('bad_request', 'Winnow only shows the project\'s folder or a folder it exported to');
    // showItemInFolder reveals the folder; it never opens or runs what is inside.
    shell.showItemInFolder(target);
  },
});

// Every WebContents (the window, anything it might try to create) gets the same guards.
app.on('web-contents-created', (_e, contents) => {
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url);
    // Reviewed: externalUrlToOpen passes only https: and mailto: URLs.
    if (external) void shell.openExternal(external); // eng-disable OPEN_EXTERNAL_JS_CHECK
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (!allowNavigation(event.url, source)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!allowNavigation(event.url, source)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
});

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    backgroundColor: '#111418',
    title: 'Winnow',
    // Reviewed: the preload exposes only send/onMessage on the one RPC channel, nothing of Node or Electron.
    // Middle-click (auxclick) would open links in a new window: disabled.
    webPreferences: {
      preload: join(here, '../preload/preload.cjs'), // eng-disable PRELOAD_JS_CHECK
      contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, disableBlinkFeatures: 'Auxclick',
    },
  });
  dispatcher.attach(ipcTransport(win.webContents, (frame) => isTrustedSender(frame, source)));
  if (source.kind === 'dev') void win.loadURL(source.url);
  else void win.loadFile(source.indexFile);
}

void app.whenReady().then(() => {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback) => callback(allowPermission(permission)));
  session.defaultSession.setPermissionCheckHandler((_contents, permission) => allowPermission(permission));
  createWindow();
});
app.on('window-all-closed', () => {
  void core.closeProject().finally(() => app.quit());
});
