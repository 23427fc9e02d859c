import assert from 'node:assert/strict';
import { it } from 'node:test';
import { decodeEnvelope, encodeEnvelope } from './binary-codec';

function frame(json: string, buffers: Uint8Array[] = []): Uint8Array {
  const j = new TextEncoder().encode(json);
  const pad8 = (n: number) => (n + 7) & ~7;
  let size = pad8(4 + j.length);
  for (const b of buffers) size += pad8(8 + b.byteLength);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, j.length, true);
  out.set(j, 4);
  let off = pad8(4 + j.length);
  for (const b of buffers) { view.setUint32(off, b.byteLength, true); out.set(b, off + 8); off += pad8(8 + b.byteLength); }
  return out;
}

it('round-trips typed arrays', () => {
  const msg = { t: 'res' as const, id: 1, ok: true as const, result: { a: new Float32Array([1, 2]), b: new Uint8Array([3]).buffer } };
  const back = decodeEnvelope(encodeEnvelope(msg)) as unknown as typeof msg;
  assert.deepEqual([...(back.result.a)], [1, 2]);
  assert.ok(back.result.b instanceof ArrayBuffer);
});

it('refuses binary references it cannot honour with an error, not a crash elsewhere', () => {
  const four = [new Uint8Array([1, 2, 3])];
  for (const bad of [
    '{"x":{"$bin":0,"$type":"toString"}}',
    '{"x":{"$bin":0,"$type":"constructor"}}',
    '{"x":{"$bin":0,"$type":"__proto__"}}',
    '{"x":{"$bin":0,"$type":7}}',
    '{"x":{"$bin":"0","$type":"Uint8Array"}}',
    '{"x":{"$bin":5,"$type":"Uint8Array"}}',
    '{"x":{"$bin":0,"$type":"Float32Array"}}',
  ]) {
    assert.throws(() => decodeEnvelope(frame(bad, four)), Error, bad);
  }
});

it('returns JSON that is not an envelope as it is, for the dispatcher to check', () => {
  assert.equal(decodeEnvelope(frame('null')), null);
  assert.equal(decodeEnvelope(frame('5')), 5);
});
