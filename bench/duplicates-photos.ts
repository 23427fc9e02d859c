// Near duplicates on photos, a set nobody tuned to (issue #15 item 2: "near duplicates on any
// image"): tiles of the sample photographs that scikit-image ships (Debian's python3-skimage),
// colour and grey, 64 and 128 px, each a frame-filling image with a photo's texture, and copies of
// them under the edits of bench/duplicates.ts: exact, shifted 1–3 px (the window moved on the
// photo, so new content enters at the border, as a re-crop does), cropped 5–10 % and resized back,
// rescaled, JPEG quality 50, brightness and contrast ×0.8–1.2, noise σ = 8. Every file goes
// through the folder import's decode, signature and grey image, as the app reads a folder; the
// aligned stage gets the built-in model's k-NN graph of the grey images. "Before" = the same stage
// without its rules for images reduced from larger ones (AlignedOptions.reduced false), in the same run.
//   apt-get download python3-skimage && dpkg-deb -x python3-skimage_*.deb /tmp/skimage
//   npx tsx bench/duplicates-photos.ts [--photos DIR] [--copies 60]
import sharp, { type Sharp } from 'sharp';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { createRng } from '../src-shared/random';
import { alignedDuplicatePairs, findAppearanceDuplicates, joinAlignedPairs, type DuplicateGroups, type GreyImage } from '../src-main/core/curate/engine';
import { buildKnnGraph } from '../src-main/core/map/knn';
import { DEFAULT_MAP_K } from '../src-main/core/map/compute-map';
import { builtinVectorsOfImages } from './lib/dataset-vectors';
import { writeSection } from './lib/report';
import { readAsFolder } from './lib/folder-read';

const DATA_DIRS = ['/usr/lib/python3/dist-packages/skimage/data', '/tmp/skimage/usr/lib/python3/dist-packages/skimage/data'];
const { values } = parseArgs({ options: { photos: { type: 'string' }, copies: { type: 'string', default: '60' }, 'no-write': { type: 'boolean', default: false } } });
const dir = values.photos ?? DATA_DIRS.find((d) => existsSync(d));
if (!dir) {
  console.error('The sample photos are missing: apt-get download python3-skimage && dpkg-deb -x python3-skimage_*.deb /tmp/skimage (or --photos DIR)');
  process.exit(1);
}
const COPIES = Number(values.copies);
/** The natural photographs among skimage's samples (motorcycle_right left out: it is the stereo partner of motorcycle_left, a near duplicate of it). */
const PHOTOS = ['astronaut.png', 'brick.png', 'camera.png', 'cell.png', 'chelsea.png', 'clock_motion.png', 'coffee.png', 'coins.png', 'grass.png', 'gravel.png', 'hubble_deep_field.jpg', 'ihc.png', 'moon.png', 'motorcycle_left.png', 'page.png', 'retina.jpg', 'rocket.jpg', 'text.png'];
/** Tiles whose grey spread is below this are left out of the main table (blank sky, paper, space): near-flat images that no pixel rule tells apart; the second table keeps them. */
const MIN_SPREAD = 16;

interface Photo { px: Buffer; w: number; h: number }
interface Tile { photo: Photo; x: number; y: number; side: number; spread: number }
type Encoded = { bytes: Buffer; ext: string };

const log = (s: string) => process.stderr.write(`${s}\n`);
const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));

async function loadPhotos(): Promise<Photo[]> {
  const out: Photo[] = [];
  for (const f of PHOTOS) {
    const bytes = readFileSync(join(dir!, f));
    const meta = await sharp(bytes).metadata();
    // Each photo at its size and at half: more scenes per tile at the smaller scale.
    for (const scale of [1, 0.5]) {
      const { data, info } = await sharp(bytes).removeAlpha().toColourspace('srgb').resize(Math.round(meta.width! * scale), Math.round(meta.height! * scale)).raw().toBuffer({ resolveWithObject: true });
      out.push({ px: data, w: info.width, h: info.height });
    }
  }
  return out;
}

/** Non-overlapping tiles of `side` px, 4 px in from the photo's edges (room for the shifted windows). */
function tilesOf(photos: Photo[], side: number): Tile[] {
  const tiles: Tile[] = [];
  for (const p of photos) {
    for (let y = 4; y + side + 4 <= p.h; y += side) for (let x = 4; x + side + 4 <= p.w; x += side) tiles.push({ photo: p, x, y, side, spread: greySpread(p, x, y, side) });
  }
  return tiles;
}

function greySpread(p: Photo, x0: number, y0: number, side: number): number {
  let s = 0, q = 0;
  for (let y = y0; y < y0 + side; y++) for (let x = x0; x < x0 + side; x++) {
    const o = 3 * (y * p.w + x), v = 0.299 * p.px[o]! + 0.587 * p.px[o + 1]! + 0.114 * p.px[o + 2]!;
    s += v; q += v * v;
  }
  const m = s / (side * side);
  return Math.sqrt(Math.max(0, q / (side * side) - m * m));
}

const cut = (t: Tile, dx = 0, dy = 0) => sharp(t.photo.px, { raw: { width: t.photo.w, height: t.photo.h, channels: 3 } }).extract({ left: t.x + dx, top: t.y + dy, width: t.side, height: t.side });
const png = async (s: Sharp): Promise<Encoded> => ({ bytes: await s.png().toBuffer(), ext: 'png' });
async function mapped(t: Tile, f: (v: number, mean: number) => number): Promise<Encoded> {
  const px = new Uint8Array(await cut(t).raw().toBuffer());
  let mean = 0;
  for (const v of px) mean += v;
  mean /= px.length;
  return png(sharp(Buffer.from(px.map((v) => clamp(f(v, mean)))), { raw: { width: t.side, height: t.side, channels: 3 } }));
}

const EDITS: [string, (t: Tile, r: () => number) => Promise<Encoded>][] = [
  ['exact copy', (t) => png(cut(t))],
  ['shift 1–3 px', (t, r) => {
    const step = () => (r() < 0.5 ? -1 : 1) * (1 + Math.floor(r() * 3));
    let dx = 0, dy = 0;
    while (!dx && !dy) { dx = r() < 0.5 ? 0 : step(); dy = r() < 0.5 ? 0 : step(); }
    return png(cut(t, dx, dy));
  }],
  ['crop 5–10 %, resized back', async (t, r) => {
    const cw = Math.round(t.side * (0.9 + 0.05 * r())), ch = Math.round(t.side * (0.9 + 0.05 * r()));
    const tile = await cut(t).png().toBuffer();
    return png(sharp(tile).extract({ left: Math.floor(r() * (t.side - cw + 1)), top: Math.floor(r() * (t.side - ch + 1)), width: cw, height: ch }).resize(t.side, t.side, { fit: 'fill' }));
  }],
  ['rescaled (×0.6–1.5)', async (t, r) => { const side = Math.round(t.side * [0.6, 0.75, 1.25, 1.5][Math.floor(r() * 4)]!); return png(sharp(await cut(t).png().toBuffer()).resize(side, side)); }],
  ['JPEG quality 50', async (t) => ({ bytes: await cut(t).jpeg({ quality: 50 }).toBuffer(), ext: 'jpg' })],
  ['brightness ×0.8–1.2', (t, r) => { const f = 0.8 + 0.4 * r(); return mapped(t, (v) => v * f); }],
  ['contrast ×0.8–1.2', (t, r) => { const f = 0.8 + 0.4 * r(); return mapped(t, (v, mean) => mean + (v - mean) * f); }],
  ['noise σ = 8', (t, r) => mapped(t, (v) => v + 8 * Math.sqrt(-2 * Math.log(Math.max(r(), 1e-12))) * Math.cos(2 * Math.PI * r()))],
];

interface PhotoSet { n: number; copyOf: Int32Array; edit: Int32Array; signatures: Uint8Array[]; greys: GreyImage[]; neighbours: { indices: Int32Array; k: number } }

/** Originals and one copy per source (no source copied twice), read as the app reads a folder. */
async function makeSet(tiles: Tile[], seed: number): Promise<PhotoSet> {
  const r = createRng(seed), n = tiles.length;
  const sources = new Set<number>(), plan: [number, number][] = [];
  for (let e = 0; e < EDITS.length; e++) {
    for (let c = 0; c < Math.min(COPIES, Math.floor(n / EDITS.length)); c++) {
      let s: number;
      do s = Math.floor(r() * n); while (sources.has(s));
      sources.add(s); plan.push([s, e]);
    }
  }
  const folder = mkdtempSync(join(tmpdir(), 'winnow-photos-'));
  const signatures: Uint8Array[] = [], greys: GreyImage[] = [];
  const copyOf = new Int32Array(n + plan.length).fill(-1), edit = new Int32Array(n + plan.length).fill(-1);
  try {
    const files: Encoded[] = [];
    for (const t of tiles) files.push(await png(cut(t)));
    for (const [s, e] of plan) { copyOf[files.length] = s; edit[files.length] = e; files.push(await EDITS[e]![1](tiles[s]!, r)); }
    for (let i = 0; i < files.length; i++) {
      const path = join(folder, `${i}.${files[i]!.ext}`);
      writeFileSync(path, files[i]!.bytes);
      const read = await readAsFolder(path, `${i}.${files[i]!.ext}`);
      signatures.push(read.signature);
      greys.push(read.grey);
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  // The embedding's k-NN graph, as the map builds it (over the grey images: the app embeds the colour thumbnails).
  const vectors = await builtinVectorsOfImages(greys);
  const g = await buildKnnGraph(vectors, vectors.length / greys.length, DEFAULT_MAP_K);
  return { n, copyOf, edit, signatures, greys, neighbours: { indices: g.indices, k: g.k } };
}

interface Score { recall: number[]; precision: number; neither: number; ms: number }

function score(set: PhotoSet, groups: DuplicateGroups, ms: number): Score {
  const hit = new Array(EDITS.length).fill(0), all = new Array(EDITS.length).fill(0);
  const good = new Uint8Array(set.copyOf.length);
  set.copyOf.forEach((s, i) => {
    if (s < 0) return;
    good[i] = 1; good[s] = 1; all[set.edit[i]!]++;
    if (groups.groupOf[i]! >= 0 && groups.groupOf[i] === groups.groupOf[s]) hit[set.edit[i]!]++;
  });
  let grouped = 0, ok = 0;
  for (let i = 0; i < good.length; i++) if (groups.groupOf[i]! >= 0) { grouped++; ok += good[i]!; }
  return { recall: hit.map((h, e) => h / all[e]), precision: grouped ? ok / grouped : NaN, neither: grouped - ok, ms };
}

function run(set: PhotoSet, reduced: boolean): Score {
  const t0 = performance.now();
  const base = findAppearanceDuplicates(set.signatures);
  const pairs = alignedDuplicatePairs({ signatures: set.signatures, images: set.greys, groupOf: base.groupOf, neighbours: set.neighbours }, { reduced });
  const groups = joinAlignedPairs(base, pairs.a, pairs.b);
  return score(set, groups, performance.now() - t0);
}

const photos = await loadPhotos();
const rows: { label: string; count: number; copies: number; before: Score; after: Score }[] = [];
for (const side of [64, 128]) {
  const tiles = tilesOf(photos, side);
  for (const [label, keep] of [[`${side} px tiles, grey spread ≥ ${MIN_SPREAD}`, (t: Tile) => t.spread >= MIN_SPREAD], [`${side} px tiles, all`, () => true]] as const) {
    const kept = tiles.filter(keep);
    const set = await makeSet(kept, side);
    const copies = set.copyOf.filter((s) => s >= 0).length;
    const before = run(set, false), after = run(set, true);
    log(`${label}: ${kept.length} tiles, ${copies} copies; before ${JSON.stringify(before)}; after ${JSON.stringify(after)}`);
    rows.push({ label, count: kept.length, copies, before, after });
  }
}

const f3 = (x: number) => (Number.isNaN(x) ? '–' : x.toFixed(3));
const lines = [
  `${PHOTOS.length} photographs from scikit-image's samples (${PHOTOS.join(', ')}), each at its size and at half; non-overlapping tiles of 64 and 128 px (the 128 px ones are stored as 96 px thumbnails by the import); ${COPIES} copies per edit, each from another source tile. Read as the app reads a folder (import decode, signature, grey image reduced to 48 px); the aligned stage with the built-in model's 15-NN graph of the grey images. Before = the stage without its rules for reduced images (\`reduced: false\`: whole-pixel shifts, the profiles' gate, raw looks; engine/aligned-duplicates.ts REDUCED_PAIRS), after = the default, same files and graph. Recall: a copy in its source's group; precision: grouped rows that are a copy or its source.`,
  '',
  `| set | tiles | copies | ${EDITS.map(([e]) => e).join(' | ')} | precision | grouped, neither copy nor source | time (one thread) |`,
  `|---|---|---|${EDITS.map(() => '---|').join('')}---|---|---|`,
  ...rows.flatMap((r) => [
    `| ${r.label}, before | ${r.count} | ${r.copies} | ${r.before.recall.map(f3).join(' | ')} | ${f3(r.before.precision)} | ${r.before.neither} | ${(r.before.ms / 1000).toFixed(1)} s |`,
    `| ${r.label}, **after** | ${r.count} | ${r.copies} | ${r.after.recall.map((x) => `**${f3(x)}**`).join(' | ')} | ${f3(r.after.precision)} | ${r.after.neither} | ${(r.after.ms / 1000).toFixed(1)} s |`,
  ]),
  '',
  'Reading it: on tiles with some contrast the stage now finds every edit at 0.917 or more at 64 px and all but crops (0.815) at 128 px (stored as 96 px thumbnails), with precision 0.999–1.000 and no more rows grouped wrongly. The gain is the stage\'s rules for images reduced from larger ones (engine/aligned-duplicates.ts REDUCED_PAIRS): the stage compares 48 px grey images, where a shift of whole pixels of a 64 or 96 px image is a fraction of a pixel and fine texture correlates at no whole-pixel shift, and where a crop that cuts the other axis changes the row and column sums its zoom is fitted on. MNIST and Fashion-MNIST are stored at 28 px, never reduced, and compare as before (BENCHMARKS \"duplicates\", unchanged). The \"all\" rows keep the near-flat tiles (blank sky, paper, the dark of hubble_deep_field; half of the 64 px tiles have a grey spread under 17.6 levels): there JPEG 50 and noise σ 8 copies are found at about half (0.567 / 0.533), as what changed is most of what such a tile holds, and the noise allowance\'s cap (0.01 per image) keeps two blank skies apart on purpose. Cost: the stage took 1.3–2.1× as long on these sets (one thread; most of it the crops\' warp refinement, scratch profile); a 64 px photo row\'s comparisons cost about 2.5 ms against 1.1–1.6 ms before (two scratch runs), so a 70,000-photo project would spend about 3 minutes of one thread in them (half that on the app\'s two workers), against 1.3–1.9 before. Several edited copies of one source (not in these tables, which draw each source once): each copy\'s next candidate was another copy, and the ratio test (the best at most 0.35 × the next) refused them all; the candidates within the threshold now pass it together when they stand apart from the nearest beyond (engine/aligned-duplicates.ts). Scratch, 64 px tiles with contrast, sources drawn with repeats: shifts 0.917 → 0.983, crops 0.933 → 0.950, rescales 0.917 → 0.950, JPEG 0.883 → 0.917, noise 0.867 → 0.933, precision 1.000 either way. Stop 49: a magnified or rescaled candidate\'s look is also read at one scale on both axes, the nearer of the two looks kept (engine/aligned-pixels.ts jointFit); against stop 48\'s run of this table (the table above is after it): 64 px tiles with contrast, crops 0.917 → 0.933 and precision 0.999 → 1.000 (1 → 0 rows grouped wrongly); all 64 px tiles, crops 0.783 → 0.800, rescales 0.950 → 0.967, precision 0.995 → 0.997 (4 → 2); 128 px tiles unchanged. Its before rows (the stage without the rules for reduced images) gain too: they share the look. Stop 53 (the graph\'s neighbours re-ranked by the zoomed pattern and compared as crops, engine/aligned-plan.ts graphByZoom): every recall and precision as before but for one brightness copy among all 64 px tiles, found in both columns (0.900 → 0.917, before 0.850 → 0.867); no crop more. Both columns compare the re-ranked candidates; their times rose 5.3–9.8 → 5.6–12.5 s at 64 px and 2.3–4.8 → 3.4–7.2 s at 128 px in a run as noisy as this machine\'s others (the stage\'s own A/B on Fashion-MNIST: +10–11 %). Stop 54 (the profiles\' gate waived for two images that are each other\'s nearest in the graph, engine/aligned-duplicates.ts WARP_PROFILES): the after columns unchanged (pairs of reduced images had no gate); the before columns, which keep the gate for every pair, gain crops 0.783 → 0.833 and 0.700 → 0.783 at 64 px and 0.519 → 0.556 and 0.571 → 0.595 at 128 px, and shifts 0.700 → 0.717 among the 64 px tiles with contrast, precision unchanged; times lower in this quieter run. Stop 54, several copies of one item measured by their partners\' readings within the threshold only (BENCHMARKS \"duplicates\"): every recall unchanged; one row grouped wrongly among the 64 px tiles with contrast (precision 1.000 → 0.999 in both columns): two distinct tiles, black with a grey corner at nearly the same place, alike to the eye, joined through a noisy copy of one.',
];
if (!values['no-write']) writeSection('duplicates on photos', `npx tsx bench/duplicates-photos.ts${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}`, lines.join('\n'));
console.log(lines.join('\n'));
