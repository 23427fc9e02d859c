// The only bridge between the sandboxed page and the main process: send an envelope, receive
// envelopes. No Node or Electron object reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

const CHANNEL = 'winnow:rpc';

contextBridge.exposeInMainWorld('winnowBridge', {
  send: (msg: unknown) => ipcRenderer.send(CHANNEL, msg),
  onMessage: (listener: (msg: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, msg: unknown) => listener(msg);
    ipcRenderer.on(CHANNEL, wrapped);
    return () => ipcRenderer.off(CHANNEL, wrapped);
  },
});
