import { test } from 'node:test';
import assert from 'node:assert/strict';
import { combineSelection, modeFromModifiers, normalizeIds } from './selection';

const ids = (...v: number[]) => new Uint32Array(v);

test('replace, add and subtract', () => {
  const current = ids(1, 3, 5);
  assert.deepEqual(combineSelection(10, current, ids(5, 2, 2), 'replace'), ids(2, 5));
  assert.deepEqual(combineSelection(10, current, ids(7, 3, 0), 'add'), ids(0, 1, 3, 5, 7));
  assert.deepEqual(combineSelection(10, current, ids(3, 4), 'subtract'), ids(1, 5));
  assert.deepEqual(combineSelection(10, ids(), ids(4, 1), 'add'), ids(1, 4));
  assert.deepEqual(combineSelection(10, ids(), ids(4), 'subtract'), ids());
  assert.deepEqual(combineSelection(10, current, ids(), 'replace'), ids());
});

test('results are sorted and unique whichever path (sort or mark) is taken', () => {
  const big = new Uint32Array(5000).map((_, i) => (i * 7919) % 3000);
  const a = normalizeIds(3000, big); // dense: mark pass
  const b = normalizeIds(1e6, big); // sparse: sort
  assert.deepEqual(a, b);
  assert.equal(a.length, 3000);
  for (let i = 1; i < a.length; i++) assert.ok(a[i - 1] < a[i]);
});

test('ids outside the layout are dropped', () => {
  assert.deepEqual(normalizeIds(5, ids(4, 5, 99, 0)), ids(0, 4));
  assert.deepEqual(combineSelection(5, ids(1), ids(7), 'add'), ids(1));
});

test('modifier keys: shift adds, alt subtracts, alt wins over shift', () => {
  assert.equal(modeFromModifiers({ shiftKey: false, altKey: false }), 'replace');
  assert.equal(modeFromModifiers({ shiftKey: true, altKey: false }), 'add');
  assert.equal(modeFromModifiers({ shiftKey: false, altKey: true }), 'subtract');
  assert.equal(modeFromModifiers({ shiftKey: true, altKey: true }), 'subtract');
});
