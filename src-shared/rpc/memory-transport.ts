// Two connected in-memory transports. Messages go through the binary codec so tests over
// this pair exercise the same encoding as the WebSocket transport.
import { decodeEnvelope, encodeEnvelope } from './binary-codec';
import type { Envelope, Transport } from './envelope';

export function createMemoryPair(): [Transport, Transport] {
  const make = () => ({ listeners: new Set<(m: Envelope) => void>(), closers: new Set<() => void>(), closed: false });
  const a = make();
  const b = make();
  const side = (self: typeof a, other: typeof a): Transport => ({
    send(msg) {
      if (self.closed) return;
      const frame = encodeEnvelope(msg);
      queueMicrotask(() => { for (const l of other.listeners) l(decodeEnvelope(frame)); });
    },
    onMessage(l) { self.listeners.add(l); return () => self.listeners.delete(l); },
    onClose(l) { self.closers.add(l); return () => self.closers.delete(l); },
    close() {
      for (const s of [self, other]) {
        if (s.closed) continue;
        s.closed = true;
        for (const c of s.closers) c();
      }
    },
  });
  return [side(a, b), side(b, a)];
}
