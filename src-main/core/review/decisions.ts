// The reviewer's one-key decisions. Each is ONE undoable edit (LabelEdits.setFields) that also
// marks the sample reviewed, so it stops being flagged, and records in its history rows the
// label the scores suggested at that time. The edit's description is what the undo toast shows.
import type { ReviewDecisionResult } from '../../../src-shared/contract/review';
import type { EditResult } from '../../../src-shared/model/edit';
import { checkLabel } from '../../../src-shared/model/label';
import type { ReviewDecision } from '../../../src-shared/model/review';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import type { FieldValue } from '../labels/label-edits';
import { resolveSource, type QueueSource, type ReviewProject } from './review-source';

/** The label the newest map's scores suggest for a sample (null without scores or a suggestion). */
export function currentSuggestion(catalog: Catalog, mapId: number | null, id: number): string | null {
  if (mapId === null) return null;
  return (catalog.db.prepare('SELECT suggested_label FROM scores WHERE map_id = ? AND sample_id = ?').pluck().get(mapId, id) as string | null | undefined) ?? null;
}

export function decide(p: ReviewProject, id: number, decision: ReviewDecision, actor = 'user'): ReviewDecisionResult {
  const exists = p.catalog.db.prepare('SELECT 1 FROM samples WHERE id = ?').pluck().get(id);
  if (exists === undefined) throw new RpcError('not_found', `no sample ${id}`);
  const mapId = p.maps.latestId();
  const suggested = currentSuggestion(p.catalog, mapId, id);
  const reviewed: FieldValue = { field: 'reviewed', value: '1' };
  let values: FieldValue[];
  let text: string;
  switch (decision.kind) {
    case 'accept':
      if (suggested === null) {
        throw new RpcError('precondition', mapId === null ? `no suggestion for #${id}: compute the map first` : `no suggested label for #${id}: type a label, keep or exclude it`);
      }
      values = [{ field: 'label', value: suggested }, reviewed];
      text = `accept ${suggested} for #${id}`;
      break;
    case 'label': {
      const check = checkLabel(decision.label);
      if (!check.ok) throw new RpcError('bad_request', `cannot relabel: ${check.reason}`);
      if (check.label === null) throw new RpcError('bad_request', 'cannot relabel to an empty label');
      values = [{ field: 'label', value: check.label }, reviewed];
      text = `label ${check.label} for #${id}`;
      break;
    }
    case 'keep':
      values = [reviewed];
      text = `keep #${id}`;
      break;
    case 'exclude':
      values = [{ field: 'excluded', value: '1' }, reviewed];
      text = `exclude #${id}`;
      break;
  }
  const res = p.labels.setFields([id], values, text, actor, { suggestedLabel: suggested, review: decision.kind, countInDescription: false });
  return { ...res, suggestedLabel: suggested };
}

/**
 * The samples of a queue whose suggestion would be accepted at noise ≥ minNoise: scored by the
 * newest map, with a suggestion other than their label, not yet reviewed, not excluded.
 */
export function acceptAllCandidates(p: ReviewProject, source: QueueSource, minNoise: number): Map<number, string> {
  const { ids } = resolveSource(p, source);
  const mapId = p.maps.latestId();
  const out = new Map<number, string>();
  if (mapId === null || ids.length === 0) return out;
  const rows = p.catalog.db.prepare(`SELECT s.id, sc.suggested_label FROM scores sc JOIN samples s ON s.id = sc.sample_id
    WHERE sc.map_id = ? AND sc.noise >= ? AND sc.suggested_label IS NOT NULL AND s.label IS NOT sc.suggested_label AND s.reviewed = 0 AND s.excluded = 0`).raw().all(mapId, minNoise) as Array<[number, string]>;
  const inQueue = new Set(ids);
  for (const [id, label] of rows) if (inQueue.has(id)) out.set(id, label);
  return out;
}

export function acceptAll(p: ReviewProject, source: QueueSource & { minNoise: number; dryRun?: boolean }, actor = 'user'): { count: number; edit: EditResult | null } {
  const picks = acceptAllCandidates(p, source, source.minNoise);
  if (source.dryRun || picks.size === 0) return { count: picks.size, edit: null };
  const of = (id: number) => picks.get(id) ?? null;
  const ids = Int32Array.from(picks.keys()).sort();
  const text = `accept ${picks.size} suggestion${picks.size === 1 ? '' : 's'} (noise ≥ ${source.minNoise})`;
  const edit = p.labels.setFields(ids, [{ field: 'label', value: of }, { field: 'reviewed', value: '1' }], text, actor, { suggestedLabel: of, review: 'accept-all', countInDescription: false });
  return { count: picks.size, edit };
}
