import assert from 'node:assert/strict';
import { it } from 'node:test';
import { FLAG_EXCLUDED, FLAG_RELABELLED, UNLABELLED } from '../../src-shared/model/sample';
import { mergeChanged } from './edit-columns';

it('folds changed rows into the columns, translating label codes and adding new names', () => {
  const columns = { ids: Int32Array.of(2, 4, 6, 8), labels: Uint16Array.of(0, 1, 0, UNLABELLED), labelNames: ['cat', 'dog'], flags: Uint8Array.of(0, 0, 0, 0) };
  const changed = { ids: Int32Array.of(4, 5, 8), labels: Uint16Array.of(0, 1, 1), labelNames: ['fox', 'cat'], flags: Uint8Array.of(FLAG_RELABELLED, 0, FLAG_EXCLUDED) };
  const out = mergeChanged(columns, changed);
  assert.deepEqual(out.labelNames, ['cat', 'dog', 'fox']);
  assert.deepEqual([...out.labels], [0, 2, 0, 0]);
  assert.deepEqual([...out.flags], [0, FLAG_RELABELLED, 0, FLAG_EXCLUDED]);
  assert.notEqual(out.labels, columns.labels, 'a new array, so views keyed on identity update');
  assert.deepEqual([...columns.labels], [0, 1, 0, UNLABELLED], 'the old columns are untouched');
  assert.equal(out.ids, columns.ids, 'ids keep their identity: the rows did not change');
  assert.equal(mergeChanged(columns, { ids: new Int32Array(0), labels: new Uint16Array(0), labelNames: [], flags: new Uint8Array(0) }), columns);
});
