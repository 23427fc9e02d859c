// Packs sample thumbnails into one RGBA atlas for the map: square cells, each thumbnail
// letterboxed to keep its aspect ratio. Rows of the map travel with the ids so the renderer
// can place each cell without another lookup.
import sharp from 'sharp';
import { onBackdrop } from './alpha';
import { atlasRequestProblem, type ThumbnailAtlas } from '../../../src-shared/model/atlas';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { ImagePayload } from '../../../src-shared/model/sample';
import type { Catalog } from '../catalog/catalog';

/** Thumbnails resized at once: enough to keep sharp's threads busy, few enough to bound memory. */
const CONCURRENCY = 8;

let packings = 0;

export async function packAtlas(catalog: Catalog, sampleIds: number[], rows: number[], cell: number): Promise<ThumbnailAtlas> {
  // The contract checks this too; core checks again so no caller (CLI, tests, a future
  // transport) can ask for gigabytes of pixels.
  const problem = atlasRequestProblem(sampleIds, rows, cell);
  if (problem) throw new RpcError('bad_request', `samples.atlas: ${problem}`);
  const thumbs = catalog.thumbnails(sampleIds);
  // Each sample with a thumbnail gets a slot up front, so cells are written straight into the
  // atlas as they are resized (no second copy of every cell). A damaged thumbnail leaves its
  // slot transparent and gets no entry; its point is still drawn.
  const slots: number[] = [];
  thumbs.forEach((t, i) => { if (t) slots.push(i); });
  const cols = Math.max(1, Math.ceil(Math.sqrt(slots.length)));
  const gridRows = Math.max(1, Math.ceil(slots.length / cols));
  const width = cols * cell;
  const height = gridRows * cell;
  const rgba = new Uint8Array(width * height * 4);
  const ok = new Uint8Array(slots.length);
  let next = 0;
  const worker = async () => {
    while (next < slots.length) {
      const k = next++;
      try {
        const pixels = await toCell(thumbs[slots[k]!]!, cell);
        const cx = (k % cols) * cell;
        const cy = Math.floor(k / cols) * cell;
        for (let y = 0; y < cell; y++) rgba.set(pixels.subarray(y * cell * 4, (y + 1) * cell * 4), ((cy + y) * width + cx) * 4);
        ok[k] = 1;
      } catch {
        // Damaged thumbnail: see above.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, slots.length) }, worker));
  const placed = [...ok.keys()].filter((k) => ok[k]);
  const index = new Uint32Array(placed.length);
  const u = new Uint16Array(placed.length);
  const v = new Uint16Array(placed.length);
  placed.forEach((k, j) => {
    index[j] = rows[slots[k]!]!;
    u[j] = (k % cols) * cell;
    v[j] = Math.floor(k / cols) * cell;
  });
  return { atlasId: `a${++packings}`, width, height, rgba, cell, entries: { index, u, v } };
}

async function toCell(t: ImagePayload, cell: number): Promise<Uint8Array> {
  const input = t.format === 'gray8' ? sharp(t.data, { raw: { width: t.width, height: t.height, channels: 1 } }) : sharp(t.data);
  // Thumbnails stored before issue #19 may still be transparent: on the backdrop, a black line
  // drawing is readable on the dark map; the letterbox around it stays transparent.
  const data = await onBackdrop(input).resize(cell, cell, { fit: 'contain', background: { r: 0, g: 0, b: 0, alpha: 0 }, kernel: t.width < cell ? 'nearest' : 'lanczos3' }).ensureAlpha().raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}
