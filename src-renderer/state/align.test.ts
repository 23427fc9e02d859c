import assert from 'node:assert/strict';
import { it } from 'node:test';
import { alignRows, dimMask, pickU16, rowsOf } from './align';

it('aligns sorted id columns to map rows', () => {
  const mapIds = Int32Array.from([2, 5, 7, 9]);
  const ids = Int32Array.from([1, 2, 3, 7, 9, 10]);
  assert.deepEqual([...alignRows(mapIds, ids)], [1, -1, 3, 4]);
  assert.deepEqual([...pickU16(Uint16Array.from([0, 1, 2, 3, 4, 5]), alignRows(mapIds, ids))], [1, 0xffff, 3, 4]);
  assert.deepEqual([...dimMask(mapIds, Int32Array.from([5, 9]))], [1, 0, 1, 0]);
  assert.deepEqual([...rowsOf(mapIds, Int32Array.from([5, 9, 11]))], [1, 3]);
});
