// Envelopes arrive from outside the process (WebSocket frames, Electron IPC messages): whatever
// their shape, the dispatcher answers a typed error or drops them, and never throws.
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { z } from 'zod';
import { method } from '../contract/define';
import { createDispatcher } from './dispatcher';
import type { Envelope, Transport } from './envelope';
import { RpcError } from './errors';

const contract = { 'math.add': method(z.object({ a: z.number(), b: z.number() })).returns<{ sum: number }>() };

/** A transport whose incoming messages are whatever the test pushes, as IPC would deliver them. */
function rawTransport() {
  const listeners = new Set<(m: Envelope) => void>();
  const sent: Envelope[] = [];
  const t: Transport = {
    send: (m) => { sent.push(m); },
    onMessage: (l) => { listeners.add(l); return () => listeners.delete(l); },
    close: () => {},
  };
  return { t, sent, push: (raw: unknown) => { for (const l of listeners) l(raw as Envelope); } };
}

const settle = () => new Promise((r) => setTimeout(r, 20));

it('drops envelopes that are not objects or have no usable request id, without throwing', async () => {
  const d = createDispatcher(contract, { 'math.add': ({ a, b }) => ({ sum: a + b }) });
  const { t, sent, push } = rawTransport();
  d.attach(t);
  const junk: unknown[] = [null, undefined, 0, 'req', true, [], [1, 2], {}, { t: 7 }, { t: 'req' }, { t: 'req', id: 'x', method: 'math.add' },
    { t: 'req', id: -1, method: 'math.add' }, { t: 'req', id: 1.5, method: 'math.add' }, { t: 'req', id: Number.MAX_SAFE_INTEGER + 2, method: 'math.add' },
    { t: 'cancel' }, { t: 'cancel', id: null }, { t: 'evt' }, { t: 'res', id: 1 }, Object.create(null), { t: 'toString' }, { t: '__proto__' }];
  for (const j of junk) assert.doesNotThrow(() => push(j), `threw on ${JSON.stringify(j)}`);
  await settle();
  assert.deepEqual(sent, []);
});

it('answers a request with a usable id but a malformed body with a typed bad_request error', async () => {
  const d = createDispatcher(contract, { 'math.add': ({ a, b }) => ({ sum: a + b }) });
  const { t, sent, push } = rawTransport();
  d.attach(t);
  push({ t: 'req', id: 1, method: 7, args: {} });
  push({ t: 'req', id: 2, method: null });
  push({ t: 'req', id: 3, method: 'x'.repeat(10_000) });
  push({ t: 'req', id: 4, method: 'math.add', args: { a: 1, b: 2 } });
  await settle();
  const byId = new Map(sent.map((m) => [(m as { id: number }).id, m]));
  for (const id of [1, 2, 3]) {
    const res = byId.get(id) as Extract<Envelope, { t: 'res'; ok: false }>;
    assert.equal(res?.ok, false, `request ${id}`);
    assert.equal(res.error.code, 'bad_request');
  }
  assert.deepEqual(byId.get(4), { t: 'res', id: 4, ok: true, result: { sum: 3 } });
});

it('turns a result the transport cannot send into an internal error instead of an unhandled rejection', async () => {
  const d = createDispatcher(contract, { 'math.add': ({ a, b }) => ({ sum: a + b }) });
  const { t, sent, push } = rawTransport();
  let first = true;
  t.send = (m) => {
    if (first) { first = false; throw new RpcError('internal', 'cannot encode'); }
    sent.push(m);
  };
  d.attach(t);
  push({ t: 'req', id: 9, method: 'math.add', args: { a: 1, b: 1 } });
  await settle();
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0], { t: 'res', id: 9, ok: false, error: { code: 'internal', message: 'math.add: the result could not be sent: cannot encode' } });
});
