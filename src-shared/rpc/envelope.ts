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

/** Longest method or event name accepted; real ones are a few dozen characters. */
export const MAX_NAME_LENGTH = 200;

/**
 * What arrived, checked. Transports deliver whatever the other side sent (a WebSocket frame's
 * JSON, an IPC message), so the type `Envelope` is a claim until this has looked at it.
 * A malformed request that still carries a usable id gets `replyTo`, so the caller can be
 * answered with a typed error instead of waiting for its timeout.
 */
export type CheckedEnvelope = { ok: true; msg: Envelope } | { ok: false; problem: string; replyTo?: number };

export function checkEnvelope(raw: unknown): CheckedEnvelope {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return bad(`an envelope must be an object, not ${describe(raw)}`);
  const m = raw as Record<string, unknown>;
  const t = m.t;
  if (t === 'req') {
    if (!isId(m.id)) return bad('a request needs an id (a non-negative integer)');
    if (typeof m.method !== 'string' || m.method.length === 0 || m.method.length > MAX_NAME_LENGTH) {
      return bad(`a request needs a method name (a string of 1 to ${MAX_NAME_LENGTH} characters)`, m.id);
    }
    return { ok: true, msg: { t, id: m.id, method: m.method, args: m.args } };
  }
  if (t === 'cancel') return isId(m.id) ? { ok: true, msg: { t, id: m.id } } : bad('a cancel needs an id');
  if (t === 'res') {
    if (!isId(m.id)) return bad('a response needs an id');
    if (m.ok === true) return { ok: true, msg: { t, id: m.id, ok: true, result: m.result } };
    const e = m.error as Record<string, unknown> | null | undefined;
    if (m.ok === false && typeof e === 'object' && e !== null && typeof e.code === 'string' && typeof e.message === 'string') {
      return { ok: true, msg: { t, id: m.id, ok: false, error: { code: e.code as RpcErrorData['code'], message: e.message } } };
    }
    return bad('a response needs ok: true with a result, or ok: false with an error {code, message}');
  }
  if (t === 'evt') {
    if (typeof m.name !== 'string' || m.name.length === 0 || m.name.length > MAX_NAME_LENGTH) return bad('an event needs a name');
    return { ok: true, msg: { t, name: m.name, payload: m.payload } };
  }
  return bad('an envelope\'s "t" must be one of req, res, cancel, evt');
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function bad(problem: string, replyTo?: number): CheckedEnvelope {
  return replyTo === undefined ? { ok: false, problem } : { ok: false, problem, replyTo };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}
