// A Transport over anything shaped like the browser WebSocket API: the browser's own socket in
// the renderer, and the `ws` package's sockets on both ends in Node. Frames are binary.
import { decodeEnvelope, encodeEnvelope } from './binary-codec';
import type { Envelope, Transport } from './envelope';

export interface SocketLike {
  binaryType: string;
  readyState: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', l: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', l: () => void): void;
}

const OPEN = 1;

export function socketTransport(socket: SocketLike, opts: { onBadFrame?: (err: unknown) => void } = {}): Transport {
  socket.binaryType = 'arraybuffer';
  const listeners = new Set<(m: Envelope) => void>();
  const closers = new Set<() => void>();
  socket.addEventListener('message', (ev) => {
    const data = ev.data;
    let bytes: Uint8Array;
    if (data instanceof ArrayBuffer) bytes = new Uint8Array(data);
    else if (ArrayBuffer.isView(data)) bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    else return opts.onBadFrame?.(new Error('text frame received; Winnow speaks binary frames only'));
    let msg: Envelope;
    try {
      msg = decodeEnvelope(bytes);
    } catch (err) {
      return opts.onBadFrame?.(err);
    }
    // A listener that throws must not escape into the socket library's event loop, where it
    // would take the whole server down; the connection is treated like one that sent a bad frame.
    try {
      for (const l of listeners) l(msg);
    } catch (err) {
      opts.onBadFrame?.(err);
    }
  });
  socket.addEventListener('close', () => { for (const c of closers) c(); });
  return {
    send(msg) {
      if (socket.readyState === OPEN) socket.send(encodeEnvelope(msg));
    },
    onMessage(l) { listeners.add(l); return () => listeners.delete(l); },
    onClose(l) { closers.add(l); return () => closers.delete(l); },
    close() { socket.close(1000, 'closed'); },
  };
}
