import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FLAG_EXCLUDED, FLAG_RELABELLED, FLAG_REVIEWED, UNLABELLED } from '../../../src-shared/model/sample';
import type { RpcError } from '../../../src-shared/rpc/errors';
import { Catalog } from '../catalog/catalog';
import { createProjectDb } from '../catalog/db';
import { tempDir } from '../../testing/temp';
import { LabelEdits } from './label-edits';

describe('label edits', () => {
  const dir = tempDir();
  const catalog = new Catalog(createProjectDb(join(dir, 'e.winnow')), join(dir, 'e.winnow'));
  const ds = catalog.findOrCreateDataset('folder', '/d', 'd');
  catalog.insertSamples(ds, [0, 1, 2].map((i) => ({ relPath: `${i}.png`, source: 'file' as const, width: 1, height: 1, channels: 1, contentHash: `${i}`, label: 'cat', split: null, metadata: {} })));
  const edits = new LabelEdits(catalog);
  const label = (id: number) => catalog.sample(id).label;

  it('relabels a batch, records history, keeps the original label', () => {
    const res = edits.setLabel([1, 2], 'dog');
    assert.deepEqual([...res.changed.ids], [1, 2]);
    assert.deepEqual(Array.from(res.changed.labels, (c) => res.changed.labelNames[c]), ['dog', 'dog']);
    assert.deepEqual([...res.changed.flags], [FLAG_RELABELLED, FLAG_RELABELLED]);
    assert.equal(label(1), 'dog');
    assert.equal(catalog.sample(1).originalLabel, 'cat');
    const h = edits.history(1);
    assert.equal(h.length, 1);
    assert.deepEqual([h[0]!.oldValue, h[0]!.newValue, h[0]!.action], ['cat', 'dog', 'edit']);
    assert.equal(res.canUndo, true);
  });

  it('undoes and redoes in stack order, logging each step', () => {
    edits.setLabel([1], 'wolf');
    edits.setExcluded([3], true);
    assert.equal(catalog.db.prepare('SELECT excluded FROM samples WHERE id = 3').pluck().get(), 1);
    edits.undo();
    assert.equal(catalog.db.prepare('SELECT excluded FROM samples WHERE id = 3').pluck().get(), 0);
    edits.undo();
    assert.equal(label(1), 'dog');
    edits.undo();
    assert.deepEqual([label(1), label(2)], ['cat', 'cat']);
    assert.throws(() => edits.undo(), (e: RpcError) => e.code === 'precondition' && e.message === 'nothing to undo');
    const r = edits.redo();
    assert.deepEqual([label(1), label(2)], ['dog', 'dog']);
    assert.equal(r.canRedo, true);
    edits.redo();
    assert.equal(label(1), 'wolf');
    assert.deepEqual(edits.history(1).map((e) => e.action), ['edit', 'edit', 'undo', 'undo', 'redo', 'redo']);
  });

  it('a new edit drops the redo stack', () => {
    edits.setLabel([2], 'fox');
    assert.throws(() => edits.redo(), (e: RpcError) => e.code === 'precondition' && /nothing to redo/.test(e.message));
  });

  it('refuses empty labels, control characters and unknown samples without changing anything', () => {
    const before = catalog.db.prepare('SELECT COUNT(*) FROM label_history').pluck().get();
    assert.throws(() => edits.setLabel([1], '   '), (e: RpcError) => e.code === 'bad_request' && /empty/.test(e.message));
    assert.throws(() => edits.setLabel([1], 'a\u0007b'), (e: RpcError) => e.code === 'bad_request' && /control/.test(e.message));
    assert.throws(() => edits.setLabel([1, 999], 'x'), (e: RpcError) => e.code === 'not_found');
    assert.equal(label(1), 'wolf');
    assert.equal(catalog.db.prepare('SELECT COUNT(*) FROM label_history').pluck().get(), before);
  });

  it('returns only the samples that changed, as columns with their new state, ids ascending', () => {
    const res = edits.setExcluded(Int32Array.of(3, 1, 3), true);
    assert.deepEqual([...res.changed.ids], [1, 3]);
    assert.deepEqual(Array.from(res.changed.labels, (c) => (c === UNLABELLED ? null : res.changed.labelNames[c])), ['wolf', 'cat']);
    assert.deepEqual([...res.changed.flags], [FLAG_EXCLUDED | FLAG_RELABELLED, FLAG_EXCLUDED]);
    assert.equal(edits.setExcluded([1], true).changed.ids.length, 0, 'no change, nothing returned');
    const back = edits.undo();
    assert.deepEqual([...back.changed.ids], [1, 3]);
    assert.deepEqual([...back.changed.flags], [FLAG_RELABELLED, 0]);
  });

  it('creates labels that did not exist before', () => {
    edits.setLabel([3], 'brand-new');
    assert.ok(catalog.overview().byLabel.some((e) => e.value === 'brand-new'));
  });
  it('edits split and reviewed as undoable fields, with the description and the suggestion in history', () => {
    const split = edits.setField([2, 3], 'split', 'val', 'split → val');
    assert.equal(split.description, 'split → val (2)');
    assert.equal(catalog.sample(3).split, 'val');
    const reviewed = edits.setField([3], 'reviewed', '1', 'keep', 'user', { suggestedLabel: 'dog' });
    assert.equal(catalog.db.prepare('SELECT reviewed FROM samples WHERE id = 3').pluck().get(), 1);
    assert.deepEqual(edits.history(3).filter((h) => h.field !== 'label' && h.field !== 'excluded').map((h) => [h.field, h.oldValue, h.newValue, h.suggestedLabel]), [['split', null, 'val', undefined], ['reviewed', '0', '1', 'dog']]);
    assert.deepEqual([...reviewed.changed.ids], [3]);
    assert.equal(reviewed.changed.flags[0]! & FLAG_REVIEWED, FLAG_REVIEWED);
    assert.equal(edits.undo().description, 'keep (1)');
    assert.equal(catalog.db.prepare('SELECT reviewed FROM samples WHERE id = 3').pluck().get(), 0);
    assert.equal(edits.undo().description, 'split → val (2)');
    assert.equal(catalog.sample(3).split, null);
    assert.equal(edits.redo().description, 'split → val (2)');
    assert.equal(catalog.sample(2).split, 'val');
  });

  it('sets several fields in one edit: one undo restores all of them, redo sets them again', () => {
    const before = { label: label(2), reviewed: catalog.db.prepare('SELECT reviewed FROM samples WHERE id = 2').pluck().get() };
    const res = edits.setFields([2], [{ field: 'label', value: 'owl' }, { field: 'reviewed', value: '1' }], 'accept owl for #2', 'user', { suggestedLabel: 'owl', review: 'accept', countInDescription: false });
    assert.equal(res.description, 'accept owl for #2');
    assert.deepEqual([...res.changed.ids], [2]);
    assert.equal(res.changed.flags[0]! & FLAG_REVIEWED, FLAG_REVIEWED);
    assert.equal(label(2), 'owl');
    const rows = catalog.db.prepare('SELECT field, new_label, suggested_label FROM label_history WHERE edit_id = ? ORDER BY id').raw().all(res.editId);
    assert.deepEqual(rows, [['label', 'owl', 'owl'], ['reviewed', '1', 'owl']]);
    assert.equal(catalog.db.prepare('SELECT review FROM edits WHERE id = ?').pluck().get(res.editId), 'accept');
    assert.equal(edits.undo().description, 'accept owl for #2');
    assert.deepEqual({ label: label(2), reviewed: catalog.db.prepare('SELECT reviewed FROM samples WHERE id = 2').pluck().get() }, before);
    edits.redo();
    assert.equal(label(2), 'owl');
    assert.equal(catalog.db.prepare('SELECT reviewed FROM samples WHERE id = 2').pluck().get(), 1);
    edits.undo();
  });

  it('gives each sample its own value and suggestion when asked (accept-all), counting samples not rows', () => {
    const own = (id: number) => `own-${id}`;
    const res = edits.setFields([1, 2], [{ field: 'label', value: own }, { field: 'reviewed', value: '1' }], 'accept all', 'user', { suggestedLabel: own });
    assert.equal(res.description, 'accept all (2)');
    assert.deepEqual([label(1), label(2)], ['own-1', 'own-2']);
    assert.deepEqual(catalog.db.prepare("SELECT sample_id, suggested_label FROM label_history WHERE edit_id = ? AND field = 'label' ORDER BY sample_id").raw().all(res.editId), [[1, 'own-1'], [2, 'own-2']]);
    edits.undo();
    assert.notEqual(label(1), 'own-1');
    assert.throws(() => edits.setFields([1], [{ field: 'label', value: 'a' }, { field: 'label', value: 'b' }], 'x'), (e: RpcError) => e.code === 'bad_request');
  });
});
