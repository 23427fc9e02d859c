// The review loop's calls: a queue (a slice or the selection) in the chosen order with the
// position the server remembers, each sample's evidence (prefetched a few cards ahead so the
// next card shows without a round trip), the one-key decisions, the summary and the bulk accept.
// Same rules as actions.ts: the only other place besides it that talks to the main process.
import type { ReviewDecision, ReviewOrder, ReviewSummary, SampleEvidence } from '../../src-shared/model/review';
import type { EditResult } from '../../src-shared/model/edit';
import { FLAG_REVIEWED } from '../../src-shared/model/sample';
import { thumbnails } from '../api/thumbnails';
import { applyEdit, edit, onEdit } from './actions';
import { indexOfId } from '../../src-shared/model/ids';
import { useApp, type ReviewSession } from './app-store';
import { useMap } from './map-store';
import { getApi, notify } from './session';

export interface QueueSource { slice?: string; ids?: Int32Array<ArrayBuffer> }

/** Neighbours shown on a card: the ones that voted (the map's k-NN graph keeps about 15). */
export const CARD_NEIGHBOURS = 10;
const PREFETCH = 3;

// Evidence by sample id: the promise, and the value once it is here (so a prefetched card renders
// in the same frame as the key that asks for it). An edit drops the entries it can have changed:
// the samples it touched and those with one of them among their voting neighbours.
const evidence = new Map<number, { promise: Promise<SampleEvidence>; value?: SampleEvidence }>();
const MAX_EVIDENCE = 3000;

onEdit((result) => {
  const touched = new Set(result.changed.ids);
  if (touched.size === 0) return;
  for (const [id, e] of evidence) {
    if (touched.has(id) || e.value?.neighbours.some((n) => touched.has(n.id))) evidence.delete(id);
  }
});
// New scores (a map job's, or a rescoring after edits) change every sample's evidence: its
// scores, suggestion, reason and voting neighbours. The map store holds them, so a new score
// object there drops every entry (the detail panel and the review card then ask again).
useMap.subscribe((state, prev) => { if (state.scores !== prev.scores) evidence.clear(); });

/** The evidence of one sample (with the neighbours that voted), fetched once until an edit changes it. */
export function loadEvidence(id: number): Promise<SampleEvidence> {
  const hit = evidence.get(id);
  if (hit) return hit.promise;
  if (evidence.size >= MAX_EVIDENCE) evidence.clear();
  const entry: { promise: Promise<SampleEvidence>; value?: SampleEvidence } = {
    promise: getApi().call('review.evidence', { id, neighbours: CARD_NEIGHBOURS }).then((e) => { entry.value = e; return e; }),
  };
  entry.promise.catch(() => { if (evidence.get(id) === entry) evidence.delete(id); });
  evidence.set(id, entry);
  return entry.promise;
}

/** Evidence already here, without waiting; undefined while it loads. */
export function evidenceNow(id: number): SampleEvidence | undefined {
  return evidence.get(id)?.value;
}

/** Loads the card at `pos` and the few after it (evidence and thumbnails), so moving on costs no wait. */
export function prefetchAround(ids: Int32Array, pos: number): Promise<SampleEvidence | undefined> {
  const ahead: number[] = [];
  for (let i = pos; i < Math.min(ids.length, pos + 1 + PREFETCH); i++) ahead.push(ids[i]!);
  const current = ahead.length ? loadEvidence(ahead[0]!) : Promise.resolve(undefined);
  for (const id of ahead.slice(1)) void loadEvidence(id).catch(() => {});
  void Promise.all(ahead.map((id) => loadEvidence(id).catch(() => null))).then((all) => {
    const shown = all.flatMap((e) => (e ? [e.id, ...e.neighbours.map((n) => n.id)] : []));
    if (shown.length) void thumbnails.request(shown).catch(() => {});
  });
  return current;
}

function keyOf(source: QueueSource): string {
  return source.slice ?? 'selection';
}

/** Opens the review on a slice (in its default order: noise for a mislabelled slice) or on ids, where it stopped last time. */
export async function openReview(source: QueueSource, order?: ReviewOrder): Promise<boolean> {
  try {
    const q = await getApi().call('review.queue', { ...source, order }, { timeoutMs: 60_000 });
    const title = source.slice ? sliceTitle(source.slice) : 'selection';
    const pos = Math.max(0, Math.min(q.ids.length - 1, q.position));
    const review: ReviewSession = { source, key: q.key || keyOf(source), title, ids: q.ids, order: q.order, pos };
    useApp.setState({ review });
    useMap.setState({ reviewOpen: true });
    if (q.ids.length) void prefetchAround(q.ids, pos).catch(() => {});
    return true;
  } catch (err) {
    notify(err);
    return false;
  }
}

function sliceTitle(ref: string): string {
  const [name, version] = ref.split('@');
  return version ? `${name} v${version}` : ref;
}

/** A new order for the open queue: the same samples, starting at the first one not yet reviewed. */
export async function reorderReview(order: ReviewOrder): Promise<void> {
  const cur = useApp.getState().review;
  if (!cur) return;
  try {
    const q = await getApi().call('review.queue', { ...cur.source, order }, { timeoutMs: 60_000 });
    const pos = Math.max(0, firstUnreviewed(q.ids));
    useApp.setState({ review: { ...cur, ids: q.ids, order: q.order, pos } });
    savePosition();
    void prefetchAround(q.ids, pos).catch(() => {});
  } catch (err) {
    notify(err);
  }
}

/** Index of the first sample in `ids` not marked reviewed in the columns, -1 when all are. */
export function firstUnreviewed(ids: Int32Array): number {
  const cols = useApp.getState().columns;
  if (!cols) return 0;
  for (let i = 0; i < ids.length; i++) {
    const r = indexOfId(cols.ids, ids[i]!);
    if (r >= 0 && (cols.flags[r]! & FLAG_REVIEWED) === 0) return i;
  }
  return -1;
}

let saveTimer: ReturnType<typeof setTimeout> | null = null;
/** Tells the server where the reviewer is (debounced: arrow keys held down send one call). */
export function savePosition(now = false): void {
  if (saveTimer) clearTimeout(saveTimer);
  const send = () => {
    saveTimer = null;
    const r = useApp.getState().review;
    if (r) void getApi().call('review.position', { key: r.key, position: r.pos }).catch(notify);
  };
  if (now) send();
  else saveTimer = setTimeout(send, 250);
}

/** Moves the open queue to `pos` (clamped) and loads the cards around it. */
export function moveReview(pos: number): void {
  const r = useApp.getState().review;
  if (!r || r.ids.length === 0) return;
  const next = Math.max(0, Math.min(r.ids.length - 1, pos));
  if (next === r.pos) return;
  useApp.setState({ review: { ...r, pos: next } });
  void prefetchAround(r.ids, next).catch(() => {});
  savePosition();
}

export function closeReview(): void {
  savePosition(true);
  useMap.setState({ reviewOpen: false });
  useApp.setState({ review: null });
}

/**
 * One decision on one sample: the card moves on at once (the next card is already loaded) and
 * the edit lands when the server answers; a failure is shown and the card goes back to it.
 */
export async function decide(id: number, decision: ReviewDecision): Promise<EditResult | null> {
  const r = useApp.getState().review;
  const slice = r?.source.slice;
  if (r && r.ids[r.pos] === id) moveReview(r.pos + 1);
  try {
    const result = await getApi().call('review.decide', { id, decision, slice });
    applyEdit(result);
    return result;
  } catch (err) {
    notify(err);
    const now = useApp.getState().review;
    if (now) { const back = now.ids.indexOf(id); if (back >= 0) moveReview(back); }
    return null;
  }
}

/** Accepts the suggestion of one sample outside a queue (the detail panel). */
export async function acceptSuggestion(id: number): Promise<EditResult | null> {
  try {
    const result = await getApi().call('review.decide', { id, decision: { kind: 'accept' } });
    applyEdit(result);
    if (result.description) useApp.setState({ notice: `Accepted: ${result.description}` });
    return result;
  } catch (err) {
    notify(err);
    return null;
  }
}

export const loadReviewSummary = (source: QueueSource): Promise<ReviewSummary> => getApi().call('review.summary', source);

/** How many suggestions at noise ≥ minNoise the bulk accept would change (nothing changes). */
export const previewAcceptAll = (source: QueueSource, minNoise: number): Promise<number> =>
  getApi().call('review.acceptAll', { ...source, minNoise, dryRun: true }).then((r) => r.count);

/** Accepts them all as one edit (one Ctrl+Z undoes it). */
export async function acceptAll(source: QueueSource, minNoise: number): Promise<number> {
  let count = 0;
  const result = await edit(getApi().call('review.acceptAll', { ...source, minNoise }).then((r) => {
    count = r.count;
    return r.edit ?? { editId: null, changed: { ids: new Int32Array(0), labels: new Uint16Array(0), labelNames: [], flags: new Uint8Array(0) }, canUndo: useApp.getState().canUndo, canRedo: useApp.getState().canRedo };
  }));
  if (result) useApp.setState({ notice: count ? `Accepted ${count} suggestion${count === 1 ? '' : 's'} (Ctrl+Z undoes all of them)` : 'No suggestion to accept at that noise' });
  return count;
}
