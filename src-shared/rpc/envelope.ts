import type { RpcErrorData } from './errors';

/** Every message any transport carries. Payloads may hold typed arrays (sent as binary). */
export type Envelope =
  | { t: 'req'; id: number; method: string; args: unknown }
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: RpcErrorData }
  | { t: 'cancel'; id: number }
  | { t: 'evt'; name: string; payload: unknown };

/** A transport only moves envelopes; dispatch and client logic never know which one it is. */
export interface Transport {
  send(msg: Envelope): void;
  onMessage(listener: (msg: Envelope) => void): () => void;
  onClose?(listener: () => void): () => void;
  close(): void;
}
