// Relabelling and exclusion with a persistent undo/redo stack. Every change, and every undo
// and redo, is a label_history row; samples.original_label is never written after import.
import type { EditField, EditResult, HistoryEntry } from '../../../src-shared/model/edit';
import { checkLabel } from '../../../src-shared/model/label';
import { FLAG_EXCLUDED, FLAG_RELABELLED, FLAG_REVIEWED, type SampleColumns } from '../../../src-shared/model/sample';
import { encodeSampleColumns } from '../../../src-shared/model/sample-columns';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';

// Each editable field is one samples column; values travel as text in label_history
// (excluded and reviewed as '0'/'1', a null split as NULL).
const COLUMN: Record<EditField, string> = { label: 'label', excluded: 'excluded', reviewed: 'reviewed', split: 'split' };
const NUMERIC = new Set<EditField>(['excluded', 'reviewed']);
interface Change { sampleId: number; field: EditField; old: string | null; new: string | null }
/** Extra columns of one history row (the suggestion a review decision was made against). */
export interface EditNote {
  /** One suggestion for every sample, or each sample's own (accept-all). */
  suggestedLabel?: string | null | ((sampleId: number) => string | null);
  /** Marks the edit as a review decision of this kind (edits.review), for the review summary. */
  review?: string;
  /** False when the description already names its samples, so no " (N)" count is appended. */
  countInDescription?: boolean;
}
/** One field's new value in a multi-field edit (text form, as setField takes it), or each sample's own. */
export interface FieldValue { field: EditField; value: string | null | ((sampleId: number) => string | null) }

export class LabelEdits {
  constructor(private readonly catalog: Catalog) {}

  private get db() { return this.catalog.db; }

  setLabel(ids: ArrayLike<number> & Iterable<number>, rawLabel: string, actor = 'user'): EditResult {
    const check = checkLabel(rawLabel);
    if (!check.ok) throw new RpcError('bad_request', `cannot relabel: ${check.reason}`);
    if (check.label === null) throw new RpcError('bad_request', 'cannot relabel to an empty label');
    return this.apply(ids, [{ field: 'label', value: check.label }], actor, `label → ${check.label}`);
  }

  setExcluded(ids: ArrayLike<number> & Iterable<number>, excluded: boolean, actor = 'user'): EditResult {
    return this.apply(ids, [{ field: 'excluded', value: excluded ? '1' : '0' }], actor, excluded ? 'exclude' : 'include');
  }

  /**
   * The one way to change any editable field: a single undoable edit over these samples.
   * `value` is the field's text form ('0'/'1' for excluded and reviewed; null clears a split),
   * or a function giving each sample's own value (a split assigns train to some, val to others).
   */
  setField(ids: ArrayLike<number> & Iterable<number>, field: EditField, value: FieldValue['value'], description: string, actor = 'user', note: EditNote = {}): EditResult {
    return this.apply(ids, [{ field, value }], actor, description, note);
  }

  /**
   * Several fields of the same samples in ONE undoable edit (a review decision sets the label
   * and the reviewed flag together; one undo restores both). Fields already at their value
   * write no row; nothing changing at all makes no edit.
   */
  setFields(ids: ArrayLike<number> & Iterable<number>, values: FieldValue[], description: string, actor = 'user', note: EditNote = {}): EditResult {
    return this.apply(ids, values, actor, description, note);
  }

  undo(actor = 'user'): EditResult {
    const edit = this.db.prepare(`SELECT id FROM edits WHERE state = 'done' ORDER BY id DESC LIMIT 1`).get() as { id: number } | undefined;
    if (!edit) throw new RpcError('precondition', 'nothing to undo');
    return this.replay(edit.id, 'undo', actor);
  }

  redo(actor = 'user'): EditResult {
    const edit = this.db.prepare(`SELECT id FROM edits WHERE state = 'undone' ORDER BY id ASC LIMIT 1`).get() as { id: number } | undefined;
    if (!edit) throw new RpcError('precondition', 'nothing to redo');
    return this.replay(edit.id, 'redo', actor);
  }

  history(sampleId: number): HistoryEntry[] {
    this.catalog.sample(sampleId);
    const rows = this.db.prepare('SELECT at, actor, action, field, old_label AS oldValue, new_label AS newValue, suggested_label AS suggestedLabel FROM label_history WHERE sample_id = ? ORDER BY id').all(sampleId) as Array<HistoryEntry & { suggestedLabel: string | null }>;
    return rows.map(({ suggestedLabel, ...h }) => (suggestedLabel === null ? h : { ...h, suggestedLabel }));
  }

  status(): { canUndo: boolean; canRedo: boolean } {
    const has = (state: string) => this.db.prepare('SELECT 1 FROM edits WHERE state = ? LIMIT 1').pluck().get(state) !== undefined;
    return { canUndo: has('done'), canRedo: has('undone') };
  }

  private apply(ids: ArrayLike<number> & Iterable<number>, values: FieldValue[], actor: string, description: string, note: EditNote = {}): EditResult {
    if (ids.length === 0) throw new RpcError('bad_request', 'no samples given');
    if (values.length === 0 || new Set(values.map((v) => v.field)).size !== values.length) throw new RpcError('bad_request', 'an edit sets each field at most once');
    let changed = this.states([]);
    let editId: number | null = null;
    let text: string | null = null;
    this.db.transaction(() => {
      const reads = values.map((v) => this.db.prepare(`SELECT ${COLUMN[v.field]} FROM samples WHERE id = ?`).raw());
      const changes: Change[] = [];
      for (const id of new Set(ids)) {
        values.forEach(({ field, value: v }, f) => {
          const value = typeof v === 'function' ? v(id) : v;
          const row = reads[f]!.get(id) as [string | number | null] | undefined;
          if (!row) throw new RpcError('not_found', `no sample ${id}`);
          const old = row[0] === null ? null : String(row[0]);
          if (old !== value) changes.push({ sampleId: id, field, old, new: value });
        });
      }
      if (changes.length === 0) return;
      // A new edit makes the undone ones unreachable, as in every editor.
      this.db.prepare(`UPDATE edits SET state = 'dropped' WHERE state = 'undone'`).run();
      const samples = new Set(changes.map((c) => c.sampleId)).size;
      text = note.countInDescription === false ? description : `${description} (${samples})`;
      editId = Number(this.db.prepare(`INSERT INTO edits (actor, description, state, review) VALUES (?, ?, 'done', ?)`).run(actor, text, note.review ?? null).lastInsertRowid);
      this.write(changes, editId, 'edit', actor, note);
      changed = this.states(changes.map((c) => c.sampleId));
    })();
    return { editId, changed, ...this.status(), description: text };
  }

  private replay(editId: number, action: 'undo' | 'redo', actor: string): EditResult {
    let changed = this.states([]);
    let text: string | null = null;
    this.db.transaction(() => {
      const rows = this.db.prepare(`SELECT sample_id AS sampleId, field, old_label AS old, new_label AS new FROM label_history WHERE edit_id = ? AND action = 'edit' ORDER BY id`).all(editId) as Change[];
      const changes = action === 'undo' ? rows.reverse().map((c) => ({ ...c, old: c.new, new: c.old })) : rows;
      this.write(changes, editId, action, actor);
      this.db.prepare('UPDATE edits SET state = ? WHERE id = ?').run(action === 'undo' ? 'undone' : 'done', editId);
      changed = this.states(changes.map((c) => c.sampleId));
      text = this.db.prepare('SELECT description FROM edits WHERE id = ?').pluck().get(editId) as string;
    })();
    return { editId, changed, ...this.status(), description: text };
  }

  private write(changes: Change[], editId: number, action: string, actor: string, note: EditNote = {}): void {
    const set = new Map<EditField, { run(...values: unknown[]): unknown }>();
    const log = this.db.prepare('INSERT INTO label_history (sample_id, old_label, new_label, actor, edit_id, field, action, suggested_label) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const c of changes) {
      let stmt = set.get(c.field);
      if (!stmt) set.set(c.field, (stmt = this.db.prepare(`UPDATE samples SET ${COLUMN[c.field]} = ? WHERE id = ?`)));
      stmt.run(NUMERIC.has(c.field) ? Number(c.new) : c.new, c.sampleId);
      const suggested = typeof note.suggestedLabel === 'function' ? note.suggestedLabel(c.sampleId) : note.suggestedLabel;
      log.run(c.sampleId, c.old, c.new, actor, editId, c.field, action, suggested ?? null);
    }
  }

  /** The new state of these samples as columns, ids ascending. */
  private states(ids: number[]): SampleColumns {
    const read = this.db.prepare('SELECT label, original_label, excluded, reviewed FROM samples WHERE id = ?').raw();
    const sorted = Int32Array.from(new Set(ids)).sort();
    return encodeSampleColumns(Array.from(sorted, (id) => {
      const [label, original, excluded, reviewed] = read.get(id) as [string | null, string | null, number, number];
      return [id, label, (excluded ? FLAG_EXCLUDED : 0) | (label !== original ? FLAG_RELABELLED : 0) | (reviewed ? FLAG_REVIEWED : 0)] as const;
    }));
  }
}
