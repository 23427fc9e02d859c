// A review session's summary for a queue, read from the history: the edits that were review
// decisions (edits.review) and are not undone. A sample counts by its latest decision; "changed"
// compares its label now with the one it had before its first decision that touched the label.
import type { ReviewSummary } from '../../../src-shared/model/review';
import { resolveSource, type QueueSource, type ReviewProject } from './review-source';

interface DecisionRow { sampleId: number; review: string; field: string; old: string | null }

export function reviewSummary(p: ReviewProject, source: QueueSource): ReviewSummary {
  const { ids } = resolveSource(p, source);
  const db = p.catalog.db;
  const inQueue = new Set(ids);
  const rows = db.prepare(`SELECT h.sample_id AS sampleId, e.review, h.field, h.old_label AS old FROM label_history h JOIN edits e ON e.id = h.edit_id
    WHERE e.review IS NOT NULL AND e.state = 'done' AND h.action = 'edit' ORDER BY h.edit_id, h.id`).all() as DecisionRow[];
  const latest = new Map<number, string>();
  const labelBefore = new Map<number, string | null>();
  for (const r of rows) {
    if (!inQueue.has(r.sampleId)) continue;
    latest.set(r.sampleId, r.review);
    if (r.field === 'label' && !labelBefore.has(r.sampleId)) labelBefore.set(r.sampleId, r.old);
  }
  const state = db.prepare('SELECT label, reviewed FROM samples WHERE id = ?');
  const out: ReviewSummary = { total: ids.length, reviewed: 0, changed: 0, accepted: 0, kept: 0, excluded: 0 };
  for (const id of ids) {
    const s = state.get(id) as { label: string | null; reviewed: number } | undefined;
    if (!s || s.reviewed !== 1) continue;
    out.reviewed++;
    if (labelBefore.has(id) && labelBefore.get(id) !== s.label) out.changed++;
    const kind = latest.get(id);
    if (kind === 'accept' || kind === 'accept-all') out.accepted++;
    else if (kind === 'keep') out.kept++;
    else if (kind === 'exclude') out.excluded++;
  }
  return out;
}
