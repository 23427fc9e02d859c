import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ScoreColumns } from '../../src-shared/contract/curate';
import { FLAG_REVIEWED, type SampleColumns } from '../../src-shared/model/sample';
import { sortRows, tileScore } from './grid-scores';

// Five samples; the map scored four of them (id 30 has no score).
const columns: SampleColumns = { ids: Int32Array.of(10, 20, 30, 40, 50), labels: Uint16Array.of(0, 1, 0, 1, 0), labelNames: ['3', '9'], flags: Uint8Array.of(0, FLAG_REVIEWED, 0, 0, FLAG_REVIEWED) };
const scores: ScoreColumns = {
  mapId: 1, ids: Int32Array.of(10, 20, 40, 50), noise: Float32Array.of(0.1, 0.9, 0.5, NaN), sparseness: Float32Array.of(0.3, 0.2, 0.7, 0.1),
  dupGroup: Int32Array.of(-1, 4, 2, 4), modelDisagrees: Float32Array.of(NaN, NaN, NaN, NaN),
};
const scoreRow = Int32Array.of(0, 1, -1, 2, 3);
const all = Int32Array.of(0, 1, 2, 3, 4);
const idsOf = (rows: Int32Array) => Array.from(rows, (r) => columns.ids[r]);

it('sorts the grid by a score, high to low, samples without one last', () => {
  assert.deepEqual(idsOf(sortRows(all, 'noise', columns, scores, scoreRow)), [20, 40, 10, 30, 50]);
  assert.deepEqual(idsOf(sortRows(all, 'sparseness', columns, scores, scoreRow)), [40, 10, 20, 50, 30]);
  assert.deepEqual(idsOf(sortRows(all, 'dupGroup', columns, scores, scoreRow)), [40, 20, 50, 10, 30]);
  assert.deepEqual(idsOf(sortRows(all, 'reviewed', columns, scores, scoreRow)), [10, 30, 40, 20, 50]);
  // Sorting a filtered subset keeps to it; id order is the rows as given.
  assert.deepEqual(idsOf(sortRows(Int32Array.of(0, 3), 'noise', columns, scores, scoreRow)), [40, 10]);
  assert.deepEqual(idsOf(sortRows(all, 'id', columns, scores, scoreRow)), [10, 20, 30, 40, 50]);
});

it('gives a tile the score text of its field, hot when it calls for a look', () => {
  assert.deepEqual(tileScore('noise', 1, 20, '9', columns, scores, scoreRow, undefined), { value: '0.90', hot: true });
  assert.deepEqual(tileScore('noise', 0, 10, '3', columns, scores, scoreRow, undefined), { value: '0.10', hot: false });
  assert.equal(tileScore('noise', 2, 30, '3', columns, scores, scoreRow, undefined), null);
  assert.equal(tileScore('noise', 4, 50, '3', columns, scores, scoreRow, undefined), null);
  assert.deepEqual(tileScore('dupGroup', 3, 40, '9', columns, scores, scoreRow, undefined), { value: 'dup 2', hot: false });
  assert.deepEqual(tileScore('reviewed', 1, 20, '9', columns, scores, scoreRow, undefined), { value: '✓ reviewed', hot: false });
  assert.equal(tileScore('reviewed', 0, 10, '3', columns, scores, scoreRow, undefined), null);
  const ev = { id: 10, suggestedLabel: '9', noise: 0.8 } as Parameters<typeof tileScore>[7];
  assert.deepEqual(tileScore('suggested', 0, 10, '3', columns, scores, scoreRow, ev), { value: '→ 9', hot: true });
  assert.deepEqual(tileScore('suggested', 0, 10, '3', columns, scores, scoreRow, { ...ev!, noise: 0.1 }), { value: '→ 9', hot: false });
  assert.deepEqual(tileScore('suggested', 0, 10, '9', columns, scores, scoreRow, ev), { value: '→ 9', hot: false });
  // Evidence of another sample never labels this tile.
  assert.equal(tileScore('suggested', 1, 20, '9', columns, scores, scoreRow, ev), null);
});

it('the shown slice: tiles name each member\'s pick, the grid sorts by pick order, non-members last', () => {
  // Ids 20, 40 and 50 picked, in the order 50, 20, 40.
  const slice = { ids: Int32Array.of(20, 40, 50), ranks: Int32Array.of(1, 2, 0) };
  assert.deepEqual(idsOf(sortRows(all, 'pick', columns, scores, scoreRow, slice)), [50, 20, 40, 10, 30]);
  assert.deepEqual(tileScore('pick', 4, 50, '3', columns, scores, scoreRow, undefined, slice), { value: 'pick #1', hot: false });
  assert.equal(tileScore('pick', 0, 10, '3', columns, scores, scoreRow, undefined, slice), null);
  assert.equal(tileScore('pick', 4, 50, '3', columns, scores, scoreRow, undefined, null), null);
});
