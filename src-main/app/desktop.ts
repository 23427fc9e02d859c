// Desktop entry: one window, sandboxed, talking to the core through the preload bridge.
import { app, BrowserWindow, dialog, shell } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ipcTransport } from '../transport/electron/ipc-transport';
import { composeApp } from '../core/compose';

const here = fileURLToPath(new URL('.', import.meta.url));

const { core, dispatcher } = composeApp({
  transport: 'electron',
  pickFolder: async (title) => {
    const res = await dialog.showOpenDialog({ title: title ?? 'Choose a folder', properties: ['openDirectory'] });
    return res.canceled ? null : (res.filePaths[0] ?? null);
  },
  showFolder: async (path) => {
    const err = await shell.openPath(path);
    if (err) throw new Error(err);
  },
});

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    backgroundColor: '#111418',
    title: 'Winnow',
    webPreferences: { preload: join(here, '../preload/preload.cjs'), contextIsolation: true, sandbox: true, nodeIntegration: false },
  });
  dispatcher.attach(ipcTransport(win.webContents));
  win.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  const devUrl = process.env.ELECTRON_RENDERER_URL;
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(join(here, '../renderer/index.html'));
}

void app.whenReady().then(createWindow);
app.on('window-all-closed', () => {
  void core.closeProject().finally(() => app.quit());
});
