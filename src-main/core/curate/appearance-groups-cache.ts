// The appearance rule's near-duplicate groups, cached in the project. Finding them is an exact
// pair search over every signature (≈ 0.6–0.9 s for 70,000), most of a scoring run, yet the
// answer depends only on the signatures and the threshold, which change when samples do, not
// when labels do; so each curate run after the first reads it back. The key hashes the
// signature and grouping versions, the threshold and every row's signature (or its absence), so any change
// to them misses the cache; rows are positions, and the groups are stored the same way. With an
// image loader the groups include the aligned stage (aligned-groups.ts: shifted, cropped and
// rescaled copies the signatures miss, from their pixels), and the key says so; with the
// embedding's graph too (its nearest are candidates), the key names the graph.
import { createHash } from 'node:crypto';
import type { Catalog } from '../catalog/catalog';
import { groupsFromGroupOf, SIGNATURE_VERSION, type DuplicateGroups } from './engine';
import { findAppearanceDuplicatesOnThreads } from './appearance-pairs';
import { alignedStageRuns, withAlignedCopies } from './aligned-groups';
import type { GraphNeighbours, GreyImage } from './engine';

/** The samples' grey pixels (grey-images.ts) per position, needed at the positions `only`; read only on a miss. */
export type ImageLoader = (only: number[]) => Promise<ArrayLike<GreyImage | null | undefined>>;

/**
 * The embedding's k-NN graph whose nearest the aligned stage also compares, and what names it in
 * the key: the embedding set and k (the graph of one set at one k is the same up to the index's
 * approximations, which change candidates, not what the pixels decide).
 */
export interface GraphCandidates { neighbours: GraphNeighbours; key: string }

export interface ByContentOptions {
  /** On a miss, with 0 before the search and then with the share of it done (the caller's progress). */
  onSearch?: (share: number) => void;
  /** With a loader the aligned stage runs (and the key says so). */
  images?: ImageLoader;
  graph?: GraphCandidates;
}

/** Bump when the grouping of the same pairs changes (2: stars around a representative, not connected components; 3: the aligned stage; 4: it also finds crops; 5: it compares whole objects too; 6: images reduced from larger ones, photos mostly, compared to fractions of a pixel; 7: frame-filling images' candidates on 32 pattern coordinates and the zoomed pattern's 6 nearest, aligned-plan.ts; 8: a magnified or rescaled candidate's look also at one scale on both axes, aligned-pixels.ts jointFit; 9: frame-filling images' graph neighbours re-ranked by the zoomed pattern compared as crops, aligned-plan.ts graphByZoom; 10: the profiles' gate waived for each other's nearest in the graph, aligned-duplicates.ts WARP_PROFILES; 11: several copies of one item measured by their readings within the threshold only in the ratio test). */
const GROUPING_VERSION = 11;
/**
 * The signature search's share of a miss when the aligned stage follows: at 71,600 Fashion-MNIST
 * images the search took 2–3 s and the stage 30–40 s (bench/duplicates.ts; the longer with the
 * embedding graph's candidates), so about a tenth.
 */
const SEARCH_SHARE = 0.1;
/** Cached searches kept per project (one per threshold in use, in practice). */
const KEEP = 4;

export function cachedAppearanceGroups(catalog: Catalog, signatures: (Uint8Array | null)[], threshold: number, images?: ImageLoader): Promise<DuplicateGroups> {
  return cached(catalog, cacheKey(signatures, threshold, images !== undefined), signatures.length, () => signatures, threshold, { images });
}

/**
 * The same, keyed by the samples' content hashes instead of their signatures: a stored
 * signature is a function of its sample's content and SIGNATURE_VERSION (appearance-store.ts),
 * so the signatures themselves (500 MB at a million samples) are read only on a miss.
 */
export function cachedAppearanceGroupsByContent(catalog: Catalog, hashes: ArrayLike<string>, threshold: number, signatures: () => (Uint8Array | null)[], opts: ByContentOptions = {}): Promise<DuplicateGroups> {
  const { onSearch, images } = opts;
  // The graph changes the groups (and the key) only where the aligned stage runs.
  const graph = images && alignedStageRuns(hashes.length) ? opts.graph : undefined;
  const h = createHash('sha256').update(`content v${SIGNATURE_VERSION} g${GROUPING_VERSION}${images ? 'a' : ''}${graph ? ` graph ${graph.key}` : ''} t${threshold} n${hashes.length}\n`);
  let text = '';
  for (let i = 0; i < hashes.length; i++) {
    text += hashes[i] + '\n';
    if (text.length > 1 << 16) { h.update(text); text = ''; }
  }
  return cached(catalog, h.update(text).digest('hex'), hashes.length, signatures, threshold, { onSearch, images, graph });
}

async function cached(catalog: Catalog, key: string, n: number, signatures: () => (Uint8Array | null)[], threshold: number, opts: ByContentOptions): Promise<DuplicateGroups> {
  const { onSearch, images, graph } = opts;
  const db = catalog.db;
  const hit = db.prepare('SELECT group_of FROM appearance_groups WHERE key = ?').pluck().get(key) as Buffer | undefined;
  if (hit && hit.length === n * 4) {
    return groupsFromGroupOf(new Int32Array(hit.buffer.slice(hit.byteOffset, hit.byteOffset + hit.length)));
  }
  // With the aligned stage, the search is the first SEARCH_SHARE of the caller's progress.
  const aligned = images !== undefined && alignedStageRuns(n);
  const searchShare = aligned ? SEARCH_SHARE : 1;
  onSearch?.(0);
  const sigs = signatures();
  const found = await findAppearanceDuplicatesOnThreads(sigs, threshold, undefined, onSearch && ((s) => onSearch(searchShare * s)));
  const groups = aligned ? await withAlignedCopies(found, sigs, images, { progress: onSearch && ((s) => onSearch(SEARCH_SHARE + (1 - SEARCH_SHARE) * s)), neighbours: graph?.neighbours }) : found;
  db.transaction(() => {
    db.prepare('INSERT OR REPLACE INTO appearance_groups (key, group_of) VALUES (?, ?)').run(key, Buffer.from(groups.groupOf.buffer, groups.groupOf.byteOffset, groups.groupOf.byteLength));
    db.prepare('DELETE FROM appearance_groups WHERE key NOT IN (SELECT key FROM appearance_groups ORDER BY created_at DESC, rowid DESC LIMIT ?)').run(KEEP);
  })();
  return groups;
}

function cacheKey(signatures: (Uint8Array | null)[], threshold: number, aligned: boolean): string {
  const h = createHash('sha256').update(`v${SIGNATURE_VERSION} g${GROUPING_VERSION}${aligned ? 'a' : ''} t${threshold} n${signatures.length}\n`);
  const none = Buffer.from([0]), some = Buffer.from([1]);
  for (const s of signatures) {
    if (s) h.update(some).update(s);
    else h.update(none);
  }
  return h.digest('hex');
}
