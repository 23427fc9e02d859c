// A clip-art folder generated for the near-duplicate tests and bench (issue #19): transparent
// PNGs of line drawings and silhouettes in several colours, stars of different point counts,
// flat images, colour gradients, and true copies of some of them (re-encoded, resized,
// shifted). Everything is drawn here, nothing binary is committed. Truth: `copyOf` says which
// original each copy comes from; every other pair is distinct.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { createRng } from '../../../src-shared/random';

export type ClipartKind = 'drawing' | 'silhouette' | 'star' | 'flat' | 'gradient';
export type CopyEdit = 'reencode-png' | 'webp' | 'jpeg-on-white' | 'resize' | 'shift';

export interface ClipartItem {
  name: string;
  kind: ClipartKind;
  width: number;
  height: number;
  /** Straight (not premultiplied) RGBA. */
  rgba: Uint8Array;
  /** Index of the original this is a copy of, or -1. */
  copyOf: number;
  edit?: CopyEdit;
}

type Rgb = [number, number, number];
const INKS: Rgb[] = [[0, 0, 0], [20, 30, 110], [150, 20, 20], [10, 100, 30], [90, 30, 120], [110, 70, 20]];
const FILLS: Rgb[] = [[0, 0, 0], [255, 255, 255], [220, 30, 30], [30, 160, 60], [40, 80, 220], [250, 210, 30], [250, 140, 0], [130, 130, 130]];
const SIZE = 64;
const SS = 4; // supersampling per axis for anti-aliased edges

function blank(w: number, h: number): Uint8Array {
  return new Uint8Array(w * h * 4); // transparent black, as most exporters write it
}

/** Paints `colour` where cover(x, y) holds, with coverage from SS×SS samples per pixel. */
function paint(img: Uint8Array, w: number, h: number, colour: Rgb, cover: (x: number, y: number) => boolean): void {
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let hit = 0;
      for (let sy = 0; sy < SS; sy++) for (let sx = 0; sx < SS; sx++) if (cover(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS)) hit++;
      if (!hit) continue;
      const a = hit / (SS * SS), o = (y * w + x) * 4;
      const old = img[o + 3] / 255, out = a + old * (1 - a);
      for (let c = 0; c < 3; c++) img[o + c] = Math.round((colour[c] * a + img[o + c] * old * (1 - a)) / out);
      img[o + 3] = Math.round(255 * out);
    }
  }
}

function segDist(px: number, py: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax, dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy || 1)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

function inPolygon(x: number, y: number, pts: number[][]): boolean {
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [xi, yi] = pts[i]!, [xj, yj] = pts[j]!;
    if (yi! > y !== yj! > y && x < ((xj! - xi!) * (y - yi!)) / (yj! - yi!) + xi!) inside = !inside;
  }
  return inside;
}

function drawing(r: () => number): Uint8Array {
  const img = blank(SIZE, SIZE);
  const ink = INKS[Math.floor(r() * INKS.length)]!;
  const width = 1.5 + r() * 2;
  const strokes = 2 + Math.floor(r() * 3);
  for (let s = 0; s < strokes; s++) {
    const pts: number[][] = [];
    const m = 3 + Math.floor(r() * 4);
    for (let k = 0; k < m; k++) pts.push([8 + r() * (SIZE - 16), 8 + r() * (SIZE - 16)]);
    paint(img, SIZE, SIZE, ink, (x, y) => {
      for (let k = 1; k < pts.length; k++) if (segDist(x, y, pts[k - 1]![0]!, pts[k - 1]![1]!, pts[k]![0]!, pts[k]![1]!) <= width / 2) return true;
      return false;
    });
  }
  return img;
}

/** A blob: a polygon with a random radius per vertex, smoothed over its neighbours. */
function silhouette(r: () => number): Uint8Array {
  const img = blank(SIZE, SIZE);
  const fill = FILLS[Math.floor(r() * FILLS.length)]!;
  const m = 9 + Math.floor(r() * 8);
  const raw = Array.from({ length: m }, () => 0.45 + r() * 0.55);
  const rad = raw.map((v, k) => (v + raw[(k + 1) % m]! + raw[(k + m - 1) % m]!) / 3);
  const cx = SIZE / 2 + (r() - 0.5) * 10, cy = SIZE / 2 + (r() - 0.5) * 10, scale = SIZE * (0.28 + r() * 0.14);
  const rot = r() * 2 * Math.PI;
  const pts = rad.map((v, k) => [cx + scale * v * Math.cos(rot + (2 * Math.PI * k) / m), cy + scale * v * Math.sin(rot + (2 * Math.PI * k) / m)]);
  paint(img, SIZE, SIZE, fill, (x, y) => inPolygon(x, y, pts));
  return img;
}

function star(points: number, r: () => number): Uint8Array {
  const img = blank(SIZE, SIZE);
  const colour = FILLS[Math.floor(r() * FILLS.length)]!;
  const outer = SIZE * (0.36 + r() * 0.1), inner = outer * (0.38 + r() * 0.15), rot = r() * 2 * Math.PI;
  const pts: number[][] = [];
  for (let k = 0; k < 2 * points; k++) {
    const rr = k % 2 ? inner : outer, a = rot + (Math.PI * k) / points;
    pts.push([SIZE / 2 + rr * Math.cos(a), SIZE / 2 + rr * Math.sin(a)]);
  }
  const outline = r() < 0.4;
  paint(img, SIZE, SIZE, colour, outline
    ? (x, y) => pts.some((p, k) => segDist(x, y, p[0]!, p[1]!, pts[(k + 1) % pts.length]![0]!, pts[(k + 1) % pts.length]![1]!) <= 1.2)
    : (x, y) => inPolygon(x, y, pts));
  return img;
}

function flat(r: () => number, index: number): Uint8Array {
  const img = blank(SIZE, SIZE);
  if (index % 7 === 6) return img; // fully transparent
  const c: Rgb = [Math.floor(r() * 256), Math.floor(r() * 256), Math.floor(r() * 256)];
  // Every third one nearly flat: a faint grain, as a scanned blank page has.
  const grain = index % 3 === 2 ? 3 : 0;
  for (let p = 0; p < SIZE * SIZE; p++) {
    const g = grain ? Math.round((r() - 0.5) * 2 * grain) : 0;
    for (let k = 0; k < 3; k++) img[4 * p + k] = Math.max(0, Math.min(255, c[k]! + g));
    img[4 * p + 3] = 255;
  }
  return img;
}

function gradient(r: () => number): Uint8Array {
  const img = blank(SIZE, SIZE);
  const a: Rgb = [Math.floor(r() * 256), Math.floor(r() * 256), Math.floor(r() * 256)];
  const b: Rgb = [Math.floor(r() * 256), Math.floor(r() * 256), Math.floor(r() * 256)];
  const radial = r() < 0.3, fade = r() < 0.3, angle = r() * 2 * Math.PI;
  const ux = Math.cos(angle), uy = Math.sin(angle);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const dx = (x + 0.5) / SIZE - 0.5, dy = (y + 0.5) / SIZE - 0.5;
      const t = radial ? Math.min(1, Math.hypot(dx, dy) / 0.7) : Math.max(0, Math.min(1, 0.5 + (dx * ux + dy * uy) / 1.42));
      const o = (y * SIZE + x) * 4;
      for (let k = 0; k < 3; k++) img[o + k] = Math.round(a[k]! + (b[k]! - a[k]!) * t);
      img[o + 3] = fade ? Math.round(255 * (1 - t)) : 255;
    }
  }
  return img;
}

/** Content moved by (dx, dy) px; what comes in is transparent. */
function shifted(src: Uint8Array, w: number, h: number, dx: number, dy: number): Uint8Array {
  const out = blank(w, h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = x - dx, sy = y - dy;
      if (sx < 0 || sy < 0 || sx >= w || sy >= h) continue;
      out.set(src.subarray((sy * w + sx) * 4, (sy * w + sx) * 4 + 4), (y * w + x) * 4);
    }
  }
  return out;
}

export interface ClipartOptions { seed?: number; drawings?: number; silhouettes?: number; stars?: number; flats?: number; gradients?: number; copied?: number }

/**
 * Originals first, then the copies (pixels only; resized and re-encoded copies get their edit
 * when written, see writeClipart). Copy sets have 2 to 4 members.
 */
export function clipartItems(opts: ClipartOptions = {}): ClipartItem[] {
  const r = createRng(opts.seed ?? 19);
  const items: ClipartItem[] = [];
  const add = (kind: ClipartKind, rgba: Uint8Array) => items.push({ name: `${kind}_${String(items.length).padStart(4, '0')}`, kind, width: SIZE, height: SIZE, rgba, copyOf: -1 });
  for (let i = 0; i < (opts.drawings ?? 40); i++) add('drawing', drawing(r));
  for (let i = 0; i < (opts.silhouettes ?? 40); i++) add('silhouette', silhouette(r));
  for (let i = 0; i < (opts.stars ?? 36); i++) add('star', star(4 + (i % 9), r));
  for (let i = 0; i < (opts.flats ?? 21); i++) add('flat', flat(r, i));
  for (let i = 0; i < (opts.gradients ?? 30); i++) add('gradient', gradient(r));
  const edits: CopyEdit[] = ['reencode-png', 'webp', 'jpeg-on-white', 'resize', 'shift'];
  // Flat images have nothing to recognise a copy by beyond their bytes; copies are of the rest.
  const candidates = items.map((it, i) => (it.kind === 'flat' ? -1 : i)).filter((i) => i >= 0);
  const copied = Math.min(opts.copied ?? 30, candidates.length);
  for (let c = 0; c < copied; c++) {
    const src = candidates.splice(Math.floor(r() * candidates.length), 1)[0]!;
    const n = c < 3 ? 3 : c < 8 ? 2 : 1; // a few larger sets: the largest true copy set has 4 members
    for (let k = 0; k < n; k++) {
      const edit = edits[(c + k) % edits.length]!;
      const o = items[src]!;
      let rgba = o.rgba;
      if (edit === 'shift') {
        const d = () => (1 + Math.floor(r() * 3)) * (r() < 0.5 ? -1 : 1);
        rgba = shifted(o.rgba, o.width, o.height, d(), r() < 0.5 ? 0 : d());
      }
      items.push({ name: `copy_${String(items.length).padStart(4, '0')}_of_${o.name}_${edit}`, kind: o.kind, width: o.width, height: o.height, rgba, copyOf: src, edit });
    }
  }
  return items;
}

/** The file bytes of an item as its edit saves it (PNG for originals). */
export async function encodeClipart(it: ClipartItem): Promise<{ ext: string; bytes: Buffer }> {
  const img = sharp(Buffer.from(it.rgba), { raw: { width: it.width, height: it.height, channels: 4 } });
  switch (it.edit) {
    case 'reencode-png': return { ext: 'png', bytes: await img.png({ compressionLevel: 1, palette: false }).toBuffer() };
    case 'webp': return { ext: 'webp', bytes: await img.webp({ quality: 80, alphaQuality: 90 }).toBuffer() };
    // What an editor's "save as JPEG" does to a transparent image: composite on white.
    case 'jpeg-on-white': return { ext: 'jpg', bytes: await img.flatten({ background: '#ffffff' }).jpeg({ quality: 85 }).toBuffer() };
    case 'resize': return { ext: 'png', bytes: await img.resize(Math.round(it.width * 1.5), Math.round(it.height * 1.5)).png().toBuffer() };
    default: return { ext: 'png', bytes: await img.png({ compressionLevel: 9 }).toBuffer() };
  }
}

export interface ClipartFolder { root: string; files: string[]; items: ClipartItem[] }

/** Writes every item under root/<kind>/ and returns the relative paths in item order. */
export async function writeClipart(root: string, opts: ClipartOptions = {}): Promise<ClipartFolder> {
  const items = clipartItems(opts);
  const files: string[] = [];
  for (const it of items) {
    const { ext, bytes } = await encodeClipart(it);
    mkdirSync(join(root, it.kind), { recursive: true });
    const rel = join(it.kind, `${it.name}.${ext}`);
    writeFileSync(join(root, rel), bytes);
    files.push(rel);
  }
  return { root, files, items };
}
