// Electron transport: one Transport per window over a single IPC channel. Structured clone
// carries typed arrays natively, so envelopes pass as they are.
import { ipcMain, type WebContents } from 'electron';
import type { Envelope, Transport } from '../../../src-shared/rpc/envelope';

export const IPC_CHANNEL = 'winnow:rpc';

/** Decides whether the frame that sent a message may talk to the core (see app/security-policy). */
export type SenderCheck = (frame: { url: string; isMainFrame: boolean } | null) => boolean;

export function ipcTransport(contents: WebContents, trustSender: SenderCheck): Transport {
  const listeners = new Set<(m: Envelope) => void>();
  const closers = new Set<() => void>();
  const onIpc = (event: Electron.IpcMainEvent, msg: Envelope) => {
    if (event.sender !== contents) return;
    // The WebContents alone is not enough: a sub-frame, or the window after a navigation,
    // shares it. senderFrame is null once the frame is gone.
    const frame = event.senderFrame;
    if (!trustSender(frame ? { url: frame.url, isMainFrame: frame.parent === null } : null)) return;
    for (const l of listeners) l(msg);
  };
  ipcMain.on(IPC_CHANNEL, onIpc);
  contents.once('destroyed', () => {
    ipcMain.off(IPC_CHANNEL, onIpc);
    for (const c of closers) c();
  });
  return {
    send(msg) { if (!contents.isDestroyed()) contents.send(IPC_CHANNEL, msg); },
    onMessage(l) { listeners.add(l); return () => listeners.delete(l); },
    onClose(l) { closers.add(l); return () => closers.delete(l); },
    close() { ipcMain.off(IPC_CHANNEL, onIpc); },
  };
}
