// The duplicate groups a split must not cut and a leak check looks across: the same star
// groups the scores use (core/curate/engine/duplicates.ts), from every rule available without
// new heavy work:
//  - exact copies: identical content hashes (always);
//  - appearance copies (shifted, noisy, recompressed): signatures (appearance-store.ts; computed
//    once from the stored thumbnails, needs no embedding), with the aligned stage
//    (curate/aligned-groups.ts: shifted, cropped and rescaled copies, by pixels; here without the
//    embedding graph's candidates, whose pairs come with the scores' groups below);
//  - embedding near duplicates: the newest map's stored scores (dup_group), when scores exist;
//  - copies across the current splits that only line up after a shift (engine/aligned-copies.ts:
//    frame-filling images whose shifted copies the centred signature misses), when there are splits.
// Merged without chaining (mergeGroups), then exact copies united with whatever holds one of
// them (mergeDuplicateGroups). The result is stored in leak_groups so the query field `leaks`
// can compare the members' current splits.
import type { Catalog } from '../catalog/catalog';
import { cachedAppearanceGroups } from '../curate/appearance-groups-cache';
import { findAppearanceDuplicatesOnThreads } from '../curate/appearance-pairs';
import { withAlignedCopies } from '../curate/aligned-groups';
import { loadAppearance, readSignatures } from '../curate/appearance-store';
import { DEFAULT_APPEARANCE_THRESHOLD, findExactDuplicates, groupsFromGroupOf, mergeGroups, starGroups, type DuplicateGroups } from '../curate/engine';
import { groupsFromRoots, mergeDuplicateGroups } from '../curate/engine/duplicates';
import { alignedCrossSplitCopies, type GreyImage } from './engine/aligned-copies';
import { loadGrey } from '../curate/grey-images';
import type { LeakSources } from '../../../src-shared/contract/splits';

export interface SampleTable {
  /** All samples, ascending. */
  ids: Int32Array;
  labels: (string | null)[];
  splits: (string | null)[];
  hashes: string[];
  paths: string[];
}

export interface SplitGroups extends SampleTable {
  /** Duplicate group per sample (-1 = alone). */
  groupOf: Int32Array;
  sources: LeakSources;
  signatures: (Uint8Array | null)[];
  /** Grey pixels per sample, loaded when an aligned comparison was needed. */
  images: (GreyImage | null)[] | null;
}

export function readSamples(catalog: Catalog): SampleTable {
  const rows = catalog.db.prepare('SELECT id, label, split, content_hash, rel_path FROM samples ORDER BY id').raw().all() as Array<[number, string | null, string | null, string, string]>;
  return {
    ids: Int32Array.from(rows, (r) => r[0]),
    labels: rows.map((r) => r[1]),
    splits: rows.map((r) => r[2]),
    hashes: rows.map((r) => r[3]),
    paths: rows.map((r) => r[4]),
  };
}

/**
 * Groups over all samples. A read-only project cannot store signatures, so it uses those
 * already stored (a sample without one is matched by the other rules only).
 */
export async function splitGroups(catalog: Catalog, opts: { signal?: AbortSignal; appearanceThreshold?: number } = {}): Promise<SplitGroups> {
  const table = readSamples(catalog);
  const n = table.ids.length;
  const readOnly = catalog.db.readonly;
  const signatures = readOnly ? readSignatures(catalog, table.ids) : (await loadAppearance(catalog, table.ids, opts.signal)).signatures;
  const threshold = opts.appearanceThreshold ?? DEFAULT_APPEARANCE_THRESHOLD;
  let images: (GreyImage | null)[] | null = null;
  const grey = async () => (images ??= await loadGrey(catalog, table.ids, opts.signal));
  const appearance = await (readOnly ? withAlignedCopies(await findAppearanceDuplicatesOnThreads(signatures, threshold), signatures, grey) : cachedAppearanceGroups(catalog, signatures, threshold, grey));
  const scored = scoreGroups(catalog, table.ids);
  const exact = findExactDuplicates(table.hashes);
  const base = mergeGroups(n, appearance, scored?.groups);
  // Copies across the current splits by aligned pixels (engine/aligned-copies.ts), when there are splits.
  const split = splitCodes(table.splits);
  let aligned: DuplicateGroups | undefined;
  let alignedPairs = 0;
  if (split.names.length >= 2) {
    const pairs = alignedCrossSplitCopies({ signatures, split: split.codes, images: await grey(), groupOf: mergeDuplicateGroups(n, base, exact) });
    alignedPairs = pairs.a.length;
    aligned = starGroupsOf(n, pairs.a, pairs.b);
  }
  const near = mergeGroups(n, appearance, scored?.groups, aligned);
  const groupOf = mergeDuplicateGroups(n, near, exact);
  const sources: LeakSources = {
    exact: true,
    appearance: signatures.filter((s) => s !== null).length,
    alignedPairs,
    embeddingMapId: scored?.mapId ?? null,
  };
  if (!readOnly) storeGroups(catalog, table.ids, groupOf, sources);
  return { ...table, groupOf, sources, signatures, images };
}

/**
 * Aligned copies across a proposed assignment (split code per sample), for a split to check
 * itself: copies that are not in `g`'s groups but would straddle the new parts.
 */
export async function alignedPairsFor(catalog: Catalog, g: SplitGroups, split: Int32Array, signal?: AbortSignal): Promise<{ a: Int32Array; b: Int32Array }> {
  g.images ??= await loadGrey(catalog, g.ids, signal);
  return alignedCrossSplitCopies({ signatures: g.signatures, split, images: g.images, groupOf: g.groupOf });
}

export function starGroupsOf(n: number, a: Int32Array, b: Int32Array): DuplicateGroups {
  const rep = starGroups(n, a, b);
  return groupsFromRoots(n, (i) => (rep[i]! >= 0 ? rep[i]! : i));
}

function splitCodes(splits: (string | null)[]): { codes: Int32Array; names: string[] } {
  const names = [...new Set(splits.filter((s): s is string => s !== null))].sort();
  const codeOf = new Map(names.map((s, i) => [s, i]));
  return { codes: Int32Array.from(splits, (s) => (s === null ? -1 : codeOf.get(s)!)), names };
}

/** The newest map's stored duplicate groups over these samples, or null without scores. */
function scoreGroups(catalog: Catalog, ids: Int32Array): { mapId: number; groups: ReturnType<typeof groupsFromGroupOf> } | null {
  const mapId = catalog.db.prepare('SELECT MAX(id) FROM maps').pluck().get() as number | null;
  if (mapId === null) return null;
  const rows = catalog.db.prepare('SELECT sample_id, dup_group FROM scores WHERE map_id = ? ORDER BY sample_id').raw().all(mapId) as Array<[number, number | null]>;
  if (rows.length === 0) return null;
  // Renumber to the order of each group's first member, as groupsFromGroupOf expects.
  const groupOf = new Int32Array(ids.length).fill(-1);
  const renumber = new Map<number, number>();
  let j = 0;
  for (let i = 0; i < ids.length; i++) {
    while (j < rows.length && rows[j]![0] < ids[i]!) j++;
    const r = rows[j];
    if (!r || r[0] !== ids[i] || r[1] === null) continue;
    let g = renumber.get(r[1]);
    if (g === undefined) renumber.set(r[1], (g = renumber.size));
    groupOf[i] = g;
  }
  return { mapId, groups: groupsFromGroupOf(groupOf) };
}

function storeGroups(catalog: Catalog, ids: Int32Array, groupOf: Int32Array, sources: LeakSources): void {
  const db = catalog.db;
  db.transaction(() => {
    db.prepare('DELETE FROM leak_groups').run();
    const put = db.prepare('INSERT INTO leak_groups (sample_id, grp) VALUES (?, ?)');
    for (let i = 0; i < ids.length; i++) if (groupOf[i]! >= 0) put.run(ids[i], groupOf[i]);
    db.prepare(`INSERT OR REPLACE INTO leak_check (id, sources, at) VALUES (1, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`).run(JSON.stringify(sources));
  })();
}
