// Packs sample thumbnails into one RGBA atlas for the map: square cells, each thumbnail
// letterboxed to keep its aspect ratio. Rows of the map travel with the ids so the renderer
// can place each cell without another lookup.
import sharp from 'sharp';
import { onBackdrop } from './alpha';
import type { ThumbnailAtlas } from '../../../src-shared/model/atlas';
import type { ImagePayload } from '../../../src-shared/model/sample';
import type { Catalog } from '../catalog/catalog';

let packings = 0;

export async function packAtlas(catalog: Catalog, sampleIds: number[], rows: number[], cell: number): Promise<ThumbnailAtlas> {
  const thumbs = catalog.thumbnails(sampleIds);
  const placed: Array<{ row: number; rgba: Uint8Array }> = [];
  await Promise.all(thumbs.map(async (t, i) => {
    if (!t) return;
    try {
      placed[i] = { row: rows[i]!, rgba: await toCell(t, cell) };
    } catch {
      // A damaged thumbnail just has no sprite; its point is still drawn.
    }
  }));
  const items = placed.filter(Boolean);
  const cols = Math.max(1, Math.ceil(Math.sqrt(items.length)));
  const gridRows = Math.max(1, Math.ceil(items.length / cols));
  const width = cols * cell;
  const height = gridRows * cell;
  const rgba = new Uint8Array(width * height * 4);
  const index = new Uint32Array(items.length);
  const u = new Uint16Array(items.length);
  const v = new Uint16Array(items.length);
  items.forEach((it, k) => {
    const cx = (k % cols) * cell;
    const cy = Math.floor(k / cols) * cell;
    for (let y = 0; y < cell; y++) rgba.set(it.rgba.subarray(y * cell * 4, (y + 1) * cell * 4), ((cy + y) * width + cx) * 4);
    index[k] = it.row;
    u[k] = cx;
    v[k] = cy;
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
