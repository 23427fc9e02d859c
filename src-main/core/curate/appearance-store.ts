// What the curation engine knows of each sample's look, cached in the `signatures` table so it
// is computed once: the near-duplicate signature (core/curate/engine/signature.ts) and the appearance
// tile that representative subsets cluster on (core/curate/engine/appearance-tile.ts). Both come from
// one decode of the stored pixels (MNIST keeps raw grey pixels) or the import thumbnail
// (folders keep a PNG of at most 96 px, plenty for 16×16 and needing no access to the
// originals). A row is recomputed when the sample's content hash or either version changes. A
// sample whose image is missing or undecodable gets neither (stored as NULL, so it is not
// retried every run) and is simply left out of both uses.
import sharp from 'sharp';
import { onBackdrop } from '../images/alpha';
import type { ImagePayload } from '../../../src-shared/model/sample';
import type { Catalog } from '../catalog/catalog';
import { appearanceSignature, appearanceTile, SIGNATURE_LENGTH, SIGNATURE_VERSION, TILE_LENGTH, TILE_VERSION } from './engine';

/** Images decoded and stored per transaction. */
const BATCH = 256;

export interface Appearance {
  signature: Uint8Array;
  tile: Uint8Array;
}

/** Per sample in `ids` (ascending, as a map's rows): signatures and tiles, null where it has none. */
export interface ProjectAppearance {
  signatures: (Uint8Array | null)[];
  tiles: (Uint8Array | null)[];
}

export async function loadAppearance(catalog: Catalog, ids: Int32Array, signal?: AbortSignal): Promise<ProjectAppearance> {
  const rows = catalog.db.prepare(`SELECT s.id, s.content_hash, g.content_hash, g.version, g.tile_version, g.data, g.tile FROM samples s
    LEFT JOIN signatures g ON g.sample_id = s.id ORDER BY s.id`).raw().all() as Array<[number, string, string | null, number | null, number | null, Buffer | null, Buffer | null]>;
  const signatures: (Uint8Array | null)[] = new Array(ids.length).fill(null);
  const tiles: (Uint8Array | null)[] = new Array(ids.length).fill(null);
  const stale: Array<{ at: number; id: number; hash: string }> = [];
  let j = 0;
  for (let i = 0; i < ids.length; i++) {
    while (j < rows.length && rows[j]![0] < ids[i]!) j++;
    const r = rows[j];
    if (!r || r[0] !== ids[i]) continue; // a sample that no longer exists has nothing to compare
    const [id, hash, cachedHash, version, tileVersion, data, tile] = r;
    if (cachedHash === hash && version === SIGNATURE_VERSION && tileVersion === TILE_VERSION) {
      signatures[i] = data && data.length === SIGNATURE_LENGTH ? new Uint8Array(data) : null;
      tiles[i] = tile && tile.length === TILE_LENGTH ? new Uint8Array(tile) : null;
    } else stale.push({ at: i, id, hash });
  }
  const put = catalog.db.prepare('INSERT OR REPLACE INTO signatures (sample_id, content_hash, version, tile_version, data, tile) VALUES (?, ?, ?, ?, ?, ?)');
  for (let b = 0; b < stale.length; b += BATCH) {
    signal?.throwIfAborted();
    const batch = stale.slice(b, b + BATCH);
    const images = catalog.thumbnails(batch.map((s) => s.id));
    const looks = await Promise.all(images.map((image) => (image ? appearanceOf(image) : null)));
    catalog.db.transaction(() => {
      batch.forEach((s, t) => {
        const look = looks[t];
        signatures[s.at] = look?.signature ?? null;
        tiles[s.at] = look?.tile ?? null;
        put.run(s.id, s.hash, SIGNATURE_VERSION, TILE_VERSION, look?.signature ?? null, look?.tile ?? null);
      });
    })();
  }
  return { signatures, tiles };
}

/** Signature and tile of a stored image, or null when it cannot be decoded. */
export async function appearanceOf(image: ImagePayload): Promise<Appearance | null> {
  try {
    if (image.format === 'gray8') return both(image.data, image.width, image.height, 1);
    // Alpha on the app's backdrop (grey + alpha → 1 channel, RGBA → 3), as every reader does;
    // uchar keeps 16-bit PNGs at 8 bits.
    const { data, info } = await onBackdrop(sharp(image.data)).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return both(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height, info.channels);
  } catch {
    return null;
  }
}

function both(data: Uint8Array, width: number, height: number, channels: number): Appearance {
  return { signature: appearanceSignature(data, width, height, channels), tile: appearanceTile(data, width, height, channels) };
}
