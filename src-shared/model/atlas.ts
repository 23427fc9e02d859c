/**
 * A thumbnail atlas: one RGBA texture of square cells, each holding the thumbnail of one sample
 * (letterboxed by the main process to keep its aspect ratio). The main process packs it; the
 * renderer uploads `rgba` as one texture and draws cells as sprites.
 *
 * Columnar and binary so that it crosses the transport as ArrayBuffers, never as JSON arrays:
 * entry i says that point `index[i]` lives in the cell whose top-left pixel is (`u[i]`, `v[i]`),
 * counted from the atlas's top-left corner, `cell` pixels wide and high.
 */
export interface ThumbnailAtlas {
  /** Unique per packing; the renderer caches atlases under it. */
  atlasId: string;
  /** Pixels. */
  width: number;
  height: number;
  /** width * height * 4 bytes, rows top to bottom, non-premultiplied RGBA. */
  rgba: Uint8Array;
  /** Cell edge in pixels. */
  cell: number;
  entries: AtlasEntries;
}

export interface AtlasEntries {
  /** Point index (row of the layout) of each entry. */
  index: Uint32Array;
  /** Left pixel of each entry's cell. */
  u: Uint16Array;
  /** Top pixel of each entry's cell. */
  v: Uint16Array;
}

/** Why an atlas is unusable, or null when it is well formed. */
export function atlasProblem(a: ThumbnailAtlas): string | null {
  if (!a.atlasId) return 'atlasId is empty';
  if (!Number.isInteger(a.width) || !Number.isInteger(a.height) || a.width <= 0 || a.height <= 0) {
    return `bad size ${a.width}x${a.height}`;
  }
  if (a.rgba.length !== a.width * a.height * 4) {
    return `rgba has ${a.rgba.length} bytes, expected ${a.width * a.height * 4}`;
  }
  if (!Number.isInteger(a.cell) || a.cell <= 0 || a.cell > a.width || a.cell > a.height) {
    return `bad cell size ${a.cell}`;
  }
  const { index, u, v } = a.entries;
  if (u.length !== index.length || v.length !== index.length) return 'entry columns differ in length';
  for (let i = 0; i < index.length; i++) {
    if (u[i] + a.cell > a.width || v[i] + a.cell > a.height) {
      return `entry ${i} (point ${index[i]}) lies outside the atlas`;
    }
  }
  return null;
}

/** Builds the columnar entries from rows; convenient for tests and small producers. */
export function atlasEntries(rows: ReadonlyArray<{ index: number; u: number; v: number }>): AtlasEntries {
  const index = new Uint32Array(rows.length);
  const u = new Uint16Array(rows.length);
  const v = new Uint16Array(rows.length);
  rows.forEach((r, i) => {
    index[i] = r.index;
    u[i] = r.u;
    v[i] = r.v;
  });
  return { index, u, v };
}

/** Cell edge in pixels when a request names none. */
export const ATLAS_DEFAULT_CELL = 64;
/** Most cells one atlas request may ask for. */
export const ATLAS_MAX_CELLS = 4096;
/**
 * Most pixels one atlas may hold: 4,096 cells of 64 px (64 MiB of RGBA). Bigger cells allow
 * fewer of them (256 at 256 px), so no request can make the main process allocate gigabytes.
 */
export const ATLAS_MAX_PIXELS = ATLAS_MAX_CELLS * 64 * 64;

/** Why an atlas request is refused, or null: lengths, repeated samples and the pixel budget. */
export function atlasRequestProblem(ids: readonly number[], rows: readonly number[], cell: number): string | null {
  if (ids.length !== rows.length) return 'ids and rows differ in length';
  if (ids.length > ATLAS_MAX_CELLS) return `at most ${ATLAS_MAX_CELLS} samples per atlas, not ${ids.length}`;
  const maxCells = Math.floor(ATLAS_MAX_PIXELS / (cell * cell));
  if (ids.length > maxCells) return `at most ${maxCells} samples per atlas at ${cell} px cells, not ${ids.length}; ask for fewer or smaller cells`;
  const seen = new Set<number>();
  for (const id of ids) {
    if (seen.has(id)) return `sample ${id} is asked for more than once; each sample needs only one cell`;
    seen.add(id);
  }
  return null;
}
