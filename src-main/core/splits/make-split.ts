// A leak-free split of the whole project, stored as each sample's `split` field in one undoable
// edit (LabelEdits.setField), so it can be queried (split = val), reviewed and undone.
import { RpcError } from '../../../src-shared/rpc/errors';
import type { SplitResult } from '../../../src-shared/contract/splits';
import { sqlJsonPath, type Catalog } from '../catalog/catalog';
import type { LabelEdits } from '../labels/label-edits';
import { checkShares, groupAwareSplit, SplitError, type SplitShare } from './engine/group-split';
import { alignedPairsFor, splitGroups, starGroupsOf, type SampleTable } from './split-groups';

/** Propose-and-check rounds for copies only the aligned rule finds (one is nearly always enough). */
const ALIGNED_ROUNDS = 3;

export interface MakeSplitParams { shares: SplitShare[]; seed?: number; groupBy?: string; signal?: AbortSignal }

export async function makeSplit(catalog: Catalog, edits: LabelEdits, params: MakeSplitParams): Promise<SplitResult> {
  // Everything is checked before anything is computed or written.
  try {
    checkShares(params.shares);
  } catch (err) {
    if (err instanceof SplitError) throw new RpcError('bad_request', err.message);
    throw err;
  }
  if (params.groupBy !== undefined && !catalog.metadataFields().includes(params.groupBy)) {
    throw new RpcError('bad_request', `no metadata field "${params.groupBy}" to group by; fields: ${catalog.metadataFields().join(', ') || 'none'}`);
  }
  const total = catalog.db.prepare('SELECT COUNT(*) FROM samples').pluck().get() as number;
  if (total === 0) throw new RpcError('precondition', 'the project has no samples to split');

  const g = await splitGroups(catalog, { signal: params.signal });
  const groupings = [g.groupOf];
  if (params.groupBy !== undefined) groupings.push(metadataGroups(catalog, params.groupBy, g.ids));
  const { codes: labels, names: classNames } = codesOf(g.labels);
  const split = (extra: Int32Array[]) => {
    try {
      return groupAwareSplit({ ids: g.ids, labels, groupings: [...groupings, ...extra], shares: params.shares, seed: params.seed ?? 0 });
    } catch (err) {
      if (err instanceof SplitError) throw new RpcError('bad_request', err.message);
      throw err;
    }
  };
  // The aligned rule (engine/aligned-copies.ts) looks across splits, so it can only see the
  // copies a proposed split would cut: propose, find them, keep them together, propose again.
  let result = split([]);
  const a: number[] = [], b: number[] = [];
  let left = 0;
  for (let round = 0; ; round++) {
    const cut = await alignedPairsFor(catalog, g, result.assign, params.signal);
    // Reported, not hidden, if the rounds run out (leaksAfter).
    if (cut.a.length === 0 || round === ALIGNED_ROUNDS) { left = cut.a.length; break; }
    a.push(...cut.a); b.push(...cut.b);
    result = split([starGroupsOf(g.ids.length, Int32Array.from(a), Int32Array.from(b)).groupOf]);
  }
  const names = params.shares.map((s) => s.name);
  const valueOf = new Map<number, string>();
  g.ids.forEach((id, i) => valueOf.set(id, names[result.assign[i]!]!));
  const ratios = params.shares.map((s) => `${s.name}=${s.ratio}`).join(',');
  const description = `split ${ratios} (seed ${params.seed ?? 0}${params.groupBy ? `, by ${params.groupBy}` : ''})`;
  const edit = edits.setField(g.ids, 'split', (id) => valueOf.get(id) ?? null, description);
  return {
    edit, parts: summary(g, result.assign, names, labels, classNames), groups: result.groups,
    maxClassDeviation: result.maxClassDeviation, leaksAfter: leaksAfter(g.groupOf, result.assign) + left, sources: g.sources,
  };
}

/** Group per sample by a metadata field's value; samples without a value are in none. */
function metadataGroups(catalog: Catalog, field: string, ids: Int32Array): Int32Array {
  const rows = catalog.db.prepare(`SELECT id, json_extract(metadata, ${sqlJsonPath(field)}) FROM samples ORDER BY id`).raw().all() as Array<[number, unknown]>;
  const codeOf = new Map<string, number>();
  const byId = new Map<number, number>();
  for (const [id, v] of rows) {
    if (v === null || v === undefined) continue;
    const key = String(v);
    let c = codeOf.get(key);
    if (c === undefined) codeOf.set(key, (c = codeOf.size));
    byId.set(id, c);
  }
  return Int32Array.from(ids, (id) => byId.get(id) ?? -1);
}

function codesOf(labels: (string | null)[]): { codes: Int32Array; names: string[] } {
  const names = [...new Set(labels.filter((l): l is string => l !== null))].sort();
  const codeOf = new Map(names.map((n, i) => [n, i]));
  return { codes: Int32Array.from(labels, (l) => (l === null ? -1 : codeOf.get(l)!)), names };
}

function summary(g: SampleTable, assign: Int32Array, names: string[], labels: Int32Array, classNames: string[]) {
  return names.map((name, s) => {
    const byClass: Record<string, number> = {};
    let samples = 0;
    for (let i = 0; i < assign.length; i++) {
      if (assign[i] !== s) continue;
      samples++;
      const key = labels[i]! < 0 ? '(none)' : classNames[labels[i]!]!;
      byClass[key] = (byClass[key] ?? 0) + 1;
    }
    return { name, samples, byClass };
  });
}

/** Duplicate pairs left across parts: a check of the engine's promise, reported, not assumed. */
function leaksAfter(groupOf: Int32Array, assign: Int32Array): number {
  const side = new Map<number, Map<number, number>>();
  for (let i = 0; i < groupOf.length; i++) {
    const g = groupOf[i]!;
    if (g < 0) continue;
    let m = side.get(g);
    if (!m) side.set(g, (m = new Map()));
    m.set(assign[i]!, (m.get(assign[i]!) ?? 0) + 1);
  }
  let pairs = 0;
  for (const m of side.values()) {
    const counts = [...m.values()];
    let total = 0, sq = 0;
    for (const c of counts) { total += c; sq += c * c; }
    pairs += (total * total - sq) / 2;
  }
  return pairs;
}
