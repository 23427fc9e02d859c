// Edited copies of 28 × 28 grey images for the near-duplicate benches (bench/duplicates.ts, the
// issue's edits; bench/duplicates-edits.ts, edits no rule was chosen on), and how their groups
// are scored. Each edit draws from the generator it is given, in a fixed order, so a seed gives
// the same copies in every bench.
import sharp from 'sharp';
import { createRng, sampleIndices } from '../../src-shared/random';
import type { DuplicateGroups } from '../../src-main/core/curate/engine';
import { shiftedCopy } from '../../src-main/testing/curation/mnist';
import { loadDataset, type DatasetName } from '../../src-main/testing/curation/datasets';
import { jpegLumaTable } from '../../src-main/core/images/jpeg-quant';
import type { GreyImage } from '../../src-main/core/curate/engine';
import { buildKnnGraph } from '../../src-main/core/map/knn';
import { DEFAULT_MAP_K } from '../../src-main/core/map/compute-map';
import { builtinVectors, builtinVectorsOfImages } from './dataset-vectors';

/** quant: the JPEG file's luminance table, as a folder import keeps it for a JPEG stored at its own size (core/images/jpeg-quant.ts). */
export interface Img { px: Uint8Array; w: number; h: number; quant?: Uint16Array | null }
export type Edit = (src: Img, r: () => number) => Promise<Img> | Img;

const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
const between = (r: () => number, lo: number, hi: number) => lo + (hi - lo) * r();
const sign = (r: () => number) => (r() < 0.5 ? -1 : 1);

/** Resized by sharp (its default, Lanczos), after an optional crop. */
export async function resized(src: Img, w: number, h: number, crop?: { left: number; top: number; width: number; height: number }): Promise<Img> {
  let s = sharp(Buffer.from(src.px), { raw: { width: src.w, height: src.h, channels: 1 } });
  if (crop) s = s.extract(crop);
  const px = await s.resize(w, h, { fit: 'fill' }).greyscale().raw().toBuffer();
  return { px: new Uint8Array(px), w, h };
}

/** Shifted by 1–`most` px along one axis or both (the border filled as shiftedCopy fills it), with Gaussian noise σ. */
export function shifted(s: Img, r: () => number, most: number, sigma = 0): Img {
  let dx = 0, dy = 0;
  while (!dx && !dy) { dx = r() < 0.5 ? 0 : sign(r) * (1 + Math.floor(r() * most)); dy = r() < 0.5 ? 0 : sign(r) * (1 + Math.floor(r() * most)); }
  return { px: shiftedCopy(s.px, 0, dx, dy, sigma, r), w: 28, h: 28 };
}

/** A crop of lo–hi of each side (drawn per side), placed anywhere, resized back. */
export function cropped(s: Img, r: () => number, lo: number, hi: number): Promise<Img> {
  const cw = Math.round(s.w * (1 - between(r, lo, hi))), ch = Math.round(s.h * (1 - between(r, lo, hi)));
  return resized(s, s.w, s.h, { left: Math.floor(r() * (s.w - cw + 1)), top: Math.floor(r() * (s.h - ch + 1)), width: cw, height: ch });
}

/** Saved as a JPEG at `quality` and decoded, with the file's luminance table. */
export async function jpeg(s: Img, quality: number): Promise<Img> {
  const enc = await sharp(Buffer.from(s.px), { raw: { width: s.w, height: s.h, channels: 1 } }).jpeg({ quality }).toBuffer();
  return { px: new Uint8Array(await sharp(enc).greyscale().raw().toBuffer()), w: s.w, h: s.h, quant: jpegLumaTable(new Uint8Array(enc)) };
}

export function brighter(s: Img, r: () => number): Img {
  const f = between(r, 0.8, 1.2);
  return { ...s, px: s.px.map((v) => clamp(v * f)) };
}

export function contrasted(s: Img, r: () => number): Img {
  const f = between(r, 0.8, 1.2), mean = s.px.reduce((a, b) => a + b, 0) / s.px.length;
  return { ...s, px: s.px.map((v) => clamp(mean + (v - mean) * f)) };
}

/** The issue's edits (#15 item 2). */
export const ISSUE_EDITS: [string, Edit][] = [
  ['exact copy', (s) => s],
  ['shift 1–3 px', (s, r) => shifted(s, r, 3)],
  ['crop 5–10 %, resized back', (s, r) => cropped(s, r, 0.05, 0.1)],
  ['rescaled (20–56 px)', (s, r) => { const side = [20, 36, 42, 56][Math.floor(r() * 4)]; return resized(s, side, side); }],
  ['JPEG quality 50', (s) => jpeg(s, 50)],
  ['brightness ×0.8–1.2', brighter],
  ['contrast ×0.8–1.2', contrasted],
  ['noise σ = 8', (s, r) => ({ px: shiftedCopy(s.px, 0, 0, 0, 8, r), w: 28, h: 28 })],
];

/** A set's 70,000 images (training then test) and `copies` edited copies per edit after them, with which row is whose copy. */
export interface WithCopies { n: number; imgs: Img[]; sources: Int32Array; copies: Int32Array; edits: Int32Array; good: Uint8Array }

export async function withCopies(set: DatasetName, edits: [string, Edit][], copies: number, seed: number): Promise<WithCopies> {
  const train = loadDataset(set, 'train'), test = loadDataset(set, 'test');
  const n = train.n + test.n;
  const pixels = new Uint8Array(n * 784);
  pixels.set(train.pixels); pixels.set(test.pixels, train.n * 784);
  const r = createRng(seed);
  const m = copies * edits.length;
  const sources = sampleIndices(n, m, r);
  const copyRows = Int32Array.from({ length: m }, (_, t) => n + t);
  const editOf = Int32Array.from({ length: m }, (_, t) => Math.floor(t / copies));
  const imgs: Img[] = [];
  for (let i = 0; i < n; i++) imgs.push({ px: pixels.subarray(i * 784, i * 784 + 784), w: 28, h: 28 });
  for (let t = 0; t < m; t++) imgs.push(await edits[editOf[t]][1]({ px: pixels.slice(sources[t] * 784, sources[t] * 784 + 784), w: 28, h: 28 }, r));
  const good = new Uint8Array(n + m);
  for (let t = 0; t < m; t++) { good[copyRows[t]] = 1; good[sources[t]] = 1; }
  return { n, imgs, sources, copies: copyRows, edits: editOf, good };
}

export interface Score { recall: number[]; precision: number; groups: number; largest: number; grouped: number; ms: number }

/** Recall per edit (a copy in its source's group), and the precision of the grouped rows (a copy or its source). */
export function score(groups: DuplicateGroups, c: Pick<WithCopies, 'copies' | 'sources' | 'edits' | 'good'>, editCount: number, ms: number): Score {
  const hit = new Array(editCount).fill(0), all = new Array(editCount).fill(0);
  for (let t = 0; t < c.copies.length; t++) {
    all[c.edits[t]]++;
    const g = groups.groupOf[c.copies[t]];
    if (g >= 0 && g === groups.groupOf[c.sources[t]]) hit[c.edits[t]]++;
  }
  let grouped = 0, ok = 0;
  for (let i = 0; i < groups.groupOf.length; i++) if (groups.groupOf[i] >= 0) { grouped++; ok += c.good[i]; }
  return { recall: hit.map((h, e) => h / all[e]), precision: grouped ? ok / grouped : NaN, groups: groups.groups.length, largest: Math.max(0, ...groups.groups.map((g) => g.length)), grouped, ms };
}

/** The images as the aligned stage reads them (grey pixels, a JPEG's table kept). */
export function greyImages(imgs: Img[]): GreyImage[] {
  return imgs.map((i) => ({ data: i.px, width: i.w, height: i.h, ...(i.quant ? { quant: i.quant } : {}) }));
}

/** The built-in model's vectors of the set's first n rows (cached) and of the copies after them (embedded now). */
export async function vectorsWithCopies(set: DatasetName, grey: GreyImage[], n: number, log: (s: string) => void): Promise<{ all: Float32Array; dim: number }> {
  const { vectors, dim } = await builtinVectors(set, log);
  const all = new Float32Array(grey.length * dim);
  all.set(vectors);
  all.set(await builtinVectorsOfImages(grey.slice(n)), n * dim);
  return { all, dim };
}

/** The embedding's k-NN graph as the map builds it (core/map/knn.ts, the map's k), as the aligned stage takes it. */
export async function mapGraph(v: Float32Array, dim: number): Promise<{ indices: Int32Array; k: number }> {
  const g = await buildKnnGraph(v, dim, DEFAULT_MAP_K);
  return { indices: g.indices, k: g.k };
}

/** The set's own near duplicates (grouped among its originals alone, no copies injected): how many, and the precision with them set aside. */
export interface SetAside { grouped: number; precision: number }

/**
 * Precision with the set's own near duplicates set aside: rows that the same rule groups among
 * the originals alone (no copies) and that are neither a copy nor its source are left out of the
 * count, as what they are (duplicates the dataset holds) is not known to the bench.
 */
export function setAside(groups: DuplicateGroups, good: Uint8Array, own: DuplicateGroups): SetAside {
  let grouped = 0, ok = 0;
  for (let i = 0; i < groups.groupOf.length; i++) {
    if (groups.groupOf[i] < 0 || (!good[i] && i < own.groupOf.length && own.groupOf[i] >= 0)) continue;
    grouped++; ok += good[i];
  }
  let ownGrouped = 0;
  for (const g of own.groupOf) if (g >= 0) ownGrouped++;
  return { grouped: ownGrouped, precision: grouped ? ok / grouped : NaN };
}
