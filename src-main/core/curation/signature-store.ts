// Appearance signatures of the project's samples (core/curate/signature.ts) for near
// duplicates, cached in the `signatures` table so they are computed once: from the stored
// pixels (MNIST keeps raw grey pixels) or the import thumbnail (folders keep a PNG of at most
// 96 px, which is plenty for a 16×16 signature and needs no access to the original files).
// A row is recomputed when the sample's content hash or the signature version changes. A
// sample whose image is missing or undecodable gets no signature (stored as NULL, so it is
// not retried every run) and is simply left out of the appearance rule.
import sharp from 'sharp';
import type { ImagePayload } from '../../../src-shared/model/sample';
import type { Catalog } from '../catalog/catalog';
import { appearanceSignature, SIGNATURE_LENGTH, SIGNATURE_VERSION } from '../curate';

/** Images decoded and stored per transaction. */
const BATCH = 256;

/** Signature of each sample in `ids` (ascending, as a map's rows), null where it has none. */
export async function loadSignatures(catalog: Catalog, ids: Int32Array, signal?: AbortSignal): Promise<(Uint8Array | null)[]> {
  const rows = catalog.db.prepare(`SELECT s.id, s.content_hash, g.content_hash, g.version, g.data FROM samples s
    LEFT JOIN signatures g ON g.sample_id = s.id ORDER BY s.id`).raw().all() as Array<[number, string, string | null, number | null, Buffer | null]>;
  const out: (Uint8Array | null)[] = new Array(ids.length).fill(null);
  const stale: Array<{ at: number; id: number; hash: string }> = [];
  let j = 0;
  for (let i = 0; i < ids.length; i++) {
    while (j < rows.length && rows[j]![0] < ids[i]!) j++;
    const r = rows[j];
    if (!r || r[0] !== ids[i]) continue; // a sample that no longer exists has nothing to compare
    const [id, hash, cachedHash, version, data] = r;
    if (cachedHash === hash && version === SIGNATURE_VERSION) out[i] = data && data.length === SIGNATURE_LENGTH ? new Uint8Array(data) : null;
    else stale.push({ at: i, id, hash });
  }
  const put = catalog.db.prepare('INSERT OR REPLACE INTO signatures (sample_id, content_hash, version, data) VALUES (?, ?, ?, ?)');
  for (let b = 0; b < stale.length; b += BATCH) {
    signal?.throwIfAborted();
    const batch = stale.slice(b, b + BATCH);
    const images = catalog.thumbnails(batch.map((s) => s.id));
    const sigs = await Promise.all(images.map((image) => (image ? signatureOf(image) : null)));
    catalog.db.transaction(() => {
      batch.forEach((s, t) => {
        out[s.at] = sigs[t]!;
        put.run(s.id, s.hash, SIGNATURE_VERSION, sigs[t]);
      });
    })();
  }
  return out;
}

/** The signature of a stored image, or null when it cannot be decoded. */
export async function signatureOf(image: ImagePayload): Promise<Uint8Array | null> {
  try {
    if (image.format === 'gray8') return appearanceSignature(image.data, image.width, image.height, 1);
    // removeAlpha: grey + alpha → 1 channel, RGBA → 3; uchar keeps 16-bit PNGs at 8 bits.
    const { data, info } = await sharp(image.data).removeAlpha().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return appearanceSignature(new Uint8Array(data.buffer, data.byteOffset, data.length), info.width, info.height, info.channels);
  } catch {
    return null;
  }
}
