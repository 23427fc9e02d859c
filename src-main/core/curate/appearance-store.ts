// What the curation engine knows of each sample's look, cached in the `signatures` table so it
// is computed once: the near-duplicate signature (core/curate/engine/signature.ts) and the appearance
// tile that representative subsets cluster on (core/curate/engine/appearance-tile.ts). Both come from
// one decode of the stored pixels (MNIST keeps raw grey pixels) or the import thumbnail
// (folders keep a PNG of at most 96 px, plenty for 16×16 and needing no access to the
// originals). A row is recomputed when the sample's content hash or either version changes. A
// sample whose image is missing or undecodable gets neither (stored as NULL, so it is not
// retried every run) and is simply left out of both uses. An import makes the looks of what it
// brings in (in its decode workers, or its last pass: import/import-looks.ts); a scoring makes
// whatever is still missing or stale.
//
// At a million samples the look is 770 MB and most runs need neither half (the near-duplicate
// groups are cached, appearance-groups-cache.ts; only representative subsets use the tiles), so
// making the rows current (ensureAppearance) and reading one half (readSignatures, readTiles)
// are separate steps, and a read packs the rows into one buffer (views, not a million copies).
// Many stale rows are computed on worker threads (workers/appearance.ts).
import os from 'node:os';
import sharp from 'sharp';
import { onBackdrop } from '../images/alpha';
import { decodeSmallPng } from '../import/small-png';
import type { ImagePayload } from '../../../src-shared/model/sample';
import type { Catalog } from '../catalog/catalog';
import { workerEntry } from '../../workers/entries';
import { WorkerPool } from '../../workers/pool';
import { lookOfPixels, SIGNATURE_LENGTH, SIGNATURE_VERSION, TILE_LENGTH, TILE_VERSION, type Look } from './engine';

/** Images decoded and stored per transaction (and per worker task). */
const BATCH = 512;
/** Below this many stale rows, starting workers costs more than it saves. */
const WORKERS_FROM = 4096;

/** Per sample in `ids` (ascending, as a map's rows): signatures and tiles, null where it has none. */
export interface ProjectAppearance {
  signatures: (Uint8Array | null)[];
  tiles: (Uint8Array | null)[];
}

/** A batch of looks: row t's signature at t·SIGNATURE_LENGTH, its tile at t·TILE_LENGTH, ok[t] = 0 where it has none. */
export interface PackedLooks { signatures: Uint8Array; tiles: Uint8Array; ok: Uint8Array }

/** Both halves, made current first (compat: split groups, benches, tests). */
export async function loadAppearance(catalog: Catalog, ids: Int32Array, signal?: AbortSignal): Promise<ProjectAppearance> {
  await ensureAppearance(catalog, ids, { signal });
  return { signatures: readSignatures(catalog, ids), tiles: readTiles(catalog, ids) };
}

/**
 * What ensureAppearance did: how many looks it computed and, when that was every sample of `ids`
 * (a project's first scoring), their signatures as readSignatures(…, { shared: true }) would read
 * them back, so the near-duplicate search that follows skips a pass over the table (5 s of one
 * thread at a million samples, bench/scale-curate.ts).
 */
export interface FreshLooks { computed: number; signatures?: (Uint8Array | null)[] }

export interface EnsureOptions {
  signal?: AbortSignal;
  /** Called after each batch stored. */
  progress?: (done: number, total: number) => void;
  /** Hand the signatures over (FreshLooks.signatures) when every sample was stale: for a scoring that searches them next, not for an import. */
  handOver?: boolean;
}

/** Computes and stores the look of every sample of `ids` whose stored one is missing or stale. */
export async function ensureAppearance(catalog: Catalog, ids: Int32Array, { signal, progress, handOver = false }: EnsureOptions = {}): Promise<FreshLooks> {
  const stale = staleRows(catalog, ids);
  if (!stale.ids.length) return { computed: 0 };
  const put = lookWriter(catalog);
  // Both ascending, so when every row is stale, stale row t is ids[t].
  const all = handOver && stale.ids.length === ids.length;
  const packed = all ? new Uint8Array(new SharedArrayBuffer(ids.length * SIGNATURE_LENGTH)) : null;
  const signatures: (Uint8Array | null)[] | undefined = all ? new Array(ids.length).fill(null) : undefined;
  const store = (from: number, looks: PackedLooks) => {
    catalog.db.transaction(() => {
      for (let t = 0; t < looks.ok.length; t++) {
        const ok = looks.ok[t] === 1;
        const signature = ok ? looks.signatures.subarray(t * SIGNATURE_LENGTH, (t + 1) * SIGNATURE_LENGTH) : null;
        put(stale.ids[from + t], stale.hashes[from + t], signature && { signature, tile: looks.tiles.subarray(t * TILE_LENGTH, (t + 1) * TILE_LENGTH) });
        if (packed && signatures && signature) {
          const at = (from + t) * SIGNATURE_LENGTH;
          packed.set(signature, at);
          signatures[from + t] = packed.subarray(at, at + SIGNATURE_LENGTH);
        }
      }
    })();
    progress?.(from + looks.ok.length, stale.ids.length);
  };
  const batches: number[] = [];
  for (let b = 0; b < stale.ids.length; b += BATCH) batches.push(b);
  const imagesOf = (b: number) => catalog.thumbnails(Array.from(stale.ids.subarray(b, b + BATCH)));
  const workers = Math.min(os.availableParallelism(), 4);
  if (stale.ids.length < WORKERS_FROM || workers < 2) {
    for (const b of batches) {
      signal?.throwIfAborted();
      store(b, await looksOf(imagesOf(b)));
    }
    return { computed: stale.ids.length, signatures };
  }
  // The main thread reads images and writes results while the workers decode: a few batches
  // in flight per worker keep them busy, and results are stored in order as they complete.
  const pool = new WorkerPool<Array<ImagePayload | null>, PackedLooks>(workerEntry('appearance'), workers, 300_000);
  try {
    const inFlight: Array<Promise<PackedLooks>> = [];
    let next = 0;
    const launch = () => {
      // Copied, not transferred: a row's bytes may share an ArrayBuffer that cannot be detached.
      const batch = pool.run(imagesOf(batches[next++]!));
      // A cancel leaves batches in flight that reject when the pool closes; nobody awaits them then.
      batch.catch(() => {});
      inFlight.push(batch);
    };
    while (next < batches.length && inFlight.length < 2 * workers) launch();
    for (let done = 0; done < batches.length; done++) {
      signal?.throwIfAborted();
      const looks = await inFlight.shift()!;
      if (next < batches.length) launch();
      store(batches[done]!, looks);
    }
  } finally {
    await pool.close();
  }
  return { computed: stale.ids.length, signatures };
}

/**
 * Stores a sample's look (null: its image could not be read, remembered so it is not retried),
 * under its content hash and this code's versions; call it inside a transaction when storing many.
 */
export function lookWriter(catalog: Catalog): (sampleId: number, contentHash: string, look: Look | null) => void {
  const put = catalog.db.prepare('INSERT OR REPLACE INTO signatures (sample_id, content_hash, version, tile_version, data, tile) VALUES (?, ?, ?, ?, ?, ?)');
  return (sampleId, contentHash, look) => { put.run(sampleId, contentHash, SIGNATURE_VERSION, TILE_VERSION, look?.signature ?? null, look?.tile ?? null); };
}

/** Samples of `ids` whose stored look is missing or was computed from other content or code. */
function staleRows(catalog: Catalog, ids: Int32Array): { ids: Int32Array; hashes: string[] } {
  const out: number[] = [];
  const hashes: string[] = [];
  // SQLite picks the stale rows itself (IS NOT 1: no stored look, or one of other content or
  // code): every rescore asks, and streaming a million current rows into JS to drop them took
  // 1.1 s warm against 0.36 s for this (bench/scale-curate.ts, 1M project).
  const rows = catalog.db.prepare(`SELECT s.id, s.content_hash FROM samples s LEFT JOIN signatures g ON g.sample_id = s.id
    WHERE (g.content_hash = s.content_hash AND g.version = ? AND g.tile_version = ?) IS NOT 1 ORDER BY s.id`).raw().iterate(SIGNATURE_VERSION, TILE_VERSION) as IterableIterator<[number, string]>;
  let i = 0;
  for (const [id, hash] of rows) {
    while (i < ids.length && ids[i]! < id) i++; // a sample that no longer exists has nothing to compare
    if (i >= ids.length) break;
    if (ids[i] !== id) continue;
    out.push(id);
    hashes.push(hash);
  }
  return { ids: Int32Array.from(out), hashes };
}

/**
 * Signatures of `ids` as stored now (ensureAppearance first), null where a sample has none.
 * `shared`: packed in a SharedArrayBuffer, for the threaded near-duplicate search to read in
 * place (appearance-pairs.ts) rather than copy (half a gigabyte at a million samples).
 */
export function readSignatures(catalog: Catalog, ids: Int32Array, opts: { shared?: boolean } = {}): (Uint8Array | null)[] {
  return readPacked(catalog, ids, 'data', 'version', SIGNATURE_VERSION, SIGNATURE_LENGTH, opts.shared);
}

/** Tiles of `ids` as stored now (ensureAppearance first), null where a sample has none. */
export function readTiles(catalog: Catalog, ids: Int32Array): (Uint8Array | null)[] {
  return readPacked(catalog, ids, 'tile', 'tile_version', TILE_VERSION, TILE_LENGTH);
}

/**
 * One column of the current rows, copied into one buffer as they stream past (so no row's
 * Buffer outlives the loop); each sample's entry is a view into it. CROSS JOIN keeps SQLite's
 * loop on samples in id order: with the version bound as a parameter, the planner scanned
 * signatures instead and sorted every row's blob in a temporary B-tree for the ORDER BY (half a
 * gigabyte at a million samples: 5.3 → 3.4 s standalone, bench/scale-curate.ts for the scoring).
 */
function readPacked(catalog: Catalog, ids: Int32Array, column: 'data' | 'tile', versionColumn: string, version: number, length: number, shared = false): (Uint8Array | null)[] {
  const packed = new Uint8Array(shared ? new SharedArrayBuffer(ids.length * length) : new ArrayBuffer(ids.length * length));
  const out: (Uint8Array | null)[] = new Array(ids.length).fill(null);
  const rows = catalog.db.prepare(`SELECT s.id, g.${column} FROM samples s CROSS JOIN signatures g ON g.sample_id = s.id
    AND g.content_hash = s.content_hash AND g.${versionColumn} = ? ORDER BY s.id`).raw().iterate(version) as IterableIterator<[number, Buffer | null]>;
  let i = 0;
  for (const [id, data] of rows) {
    while (i < ids.length && ids[i]! < id) i++;
    if (i >= ids.length) break;
    if (ids[i] !== id || !data || data.length !== length) continue;
    packed.set(data, i * length);
    out[i] = packed.subarray(i * length, (i + 1) * length);
  }
  return out;
}

/** The looks of a batch of stored images, packed (what a worker answers). */
export async function looksOf(images: Array<ImagePayload | null>): Promise<PackedLooks> {
  const m = images.length;
  const packed: PackedLooks = { signatures: new Uint8Array(m * SIGNATURE_LENGTH), tiles: new Uint8Array(m * TILE_LENGTH), ok: new Uint8Array(m) };
  for (let t = 0; t < m; t++) {
    const image = images[t];
    const look = image ? await appearanceOf(image) : null;
    if (!look) continue;
    packed.signatures.set(look.signature, t * SIGNATURE_LENGTH);
    packed.tiles.set(look.tile, t * TILE_LENGTH);
    packed.ok[t] = 1;
  }
  return packed;
}

/** Signature and tile of a stored image, or null when it cannot be decoded. */
export async function appearanceOf(image: ImagePayload): Promise<Look | null> {
  try {
    if (image.format === 'gray8') return lookOfPixels(image.data, image.width, image.height, 1);
    // The import's thumbnails are small opaque 8-bit PNGs, read without sharp (small-png.ts).
    const small = image.format === 'png' ? decodeSmallPng(image.data) : null;
    if (small) return lookOfPixels(small.data, small.width, small.height, small.channels);
    // Anything else: alpha on the app's backdrop (grey + alpha → 1 channel, RGBA → 3), as every
    // reader does; uchar keeps 16-bit PNGs at 8 bits.
    const { data, info } = await onBackdrop(sharp(image.data)).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return lookOfPixels(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height, info.channels);
  } catch {
    return null;
  }
}

