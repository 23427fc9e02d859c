// The scene harness page's script (bench/scene/harness.html): drives the engine for the
// Playwright pixel check and the benchmark. Lives here, not in bench/, because it is DOM code
// and only tsconfig.web.json type-checks DOM code. Not imported by the app.
import { atlasEntries, type ThumbnailAtlas } from '../../../src-shared/model/atlas';
import { createPointCloud } from '../index';
import { COLORMAPS, DEFAULT_PALETTE, parseHex, sampleStops } from '../palette';
import { selectInPolygon } from '../polygon';
import { buildGrid } from '../spatialGrid';
import type { PointCloud } from '../types';
import type { FirstFrame, GpuObjects, HarnessApi, HarnessEvents, KnownPoint, LassoTimes, Rgb } from './harnessApi';
import { createRng as rng } from '../../../src-shared/random';

// ---- live WebGL objects, counted by wrapping the context's create/delete calls ----
const live: GpuObjects = { buffers: 0, textures: 0, programs: 0, shaders: 0, vertexArrays: 0 };
const alive = new WeakSet<object>();
function track(create: string, remove: string, key: keyof GpuObjects): void {
  const proto = WebGL2RenderingContext.prototype as unknown as Record<string, (...a: unknown[]) => unknown>;
  const c = proto[create];
  const d = proto[remove];
  proto[create] = function (this: unknown, ...a: unknown[]) {
    const o = c.apply(this, a);
    if (o && typeof o === 'object') {
      alive.add(o);
      live[key]++;
    }
    return o;
  };
  proto[remove] = function (this: unknown, ...a: unknown[]) {
    const o = a[0];
    if (o && typeof o === 'object' && alive.has(o)) {
      alive.delete(o);
      live[key]--;
    }
    return d.apply(this, a);
  };
}
track('createBuffer', 'deleteBuffer', 'buffers');
track('createTexture', 'deleteTexture', 'textures');
track('createProgram', 'deleteProgram', 'programs');
track('createShader', 'deleteShader', 'shaders');
track('createVertexArray', 'deleteVertexArray', 'vertexArrays');

// Counts Worker constructions, so the check can tell the lasso really ran in a worker.
let workersStarted = 0;
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(url: string | URL, options?: WorkerOptions) {
    super(url, options);
    workersStarted++;
  }
};

const canvas = document.getElementById('c') as HTMLCanvasElement;
let engine: PointCloud | null = null;
let events: HarnessEvents = { selects: [], hovers: [], clicks: [] };
let frameTimes: number[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if (e.name === 'scene:frame') frameTimes.push(e.duration);
}).observe({ entryTypes: ['measure'] });

function must(): PointCloud {
  if (!engine) throw new Error('reset() first');
  return engine;
}


const raf = () => new Promise<number>((r) => requestAnimationFrame(r));

async function frame(): Promise<void> {
  const e = must();
  const before = e.stats().frames;
  e.redraw();
  while (e.stats().frames === before) await raf();
  // readPixels waits for the GPU to finish what was submitted.
  const gl = canvas.getContext('webgl2')!;
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
}

function reset(options: { pointSize?: number; worker?: boolean; maxSprites?: number } = {}): void {
  engine?.destroy();
  events = { selects: [], hovers: [], clicks: [] };
  engine = createPointCloud(canvas, {
    pixelRatio: 1,
    preserveDrawingBuffer: true,
    pointSize: options.pointSize ?? 20,
    worker: options.worker === false ? false : undefined,
    maxSprites: options.maxSprites,
  });
  // Large selections are only counted: copying them into a JS array would be timed as lasso work.
  engine.on('select', (ids, info) =>
    events.selects.push({
      ids: ids.length <= 1000 ? Array.from(ids) : [],
      count: ids.length,
      mode: info.mode,
      source: info.source,
      reason: info.reason ?? null,
    }),
  );
  engine.on('hover', (i) => events.hovers.push(i));
  engine.on('click', (i) => events.clicks.push(i));
}

// Five points on a cross, in data units; category = id, score = id / 4.
const KNOWN_X = [0, -10, 10, 0, 0];
const KNOWN_Y = [0, 0, 0, 7, -7];

async function showKnown(kind: 'categorical' | 'continuous'): Promise<KnownPoint[]> {
  const e = must();
  e.setPoints({ x: new Float32Array(KNOWN_X), y: new Float32Array(KNOWN_Y) });
  let colours: Rgb[];
  if (kind === 'categorical') {
    e.setColorColumn(new Uint16Array([0, 1, 2, 3, 4]));
    colours = [0, 1, 2, 3, 4].map((c) => parseHex(DEFAULT_PALETTE[c]));
  } else {
    e.setColorColumn(new Float32Array([0, 0.25, 0.5, 0.75, 1]), { colormap: 'viridis' });
    // The shader reads the 256-texel colormap at round(t * 255).
    colours = [0, 0.25, 0.5, 0.75, 1].map((t) => sampleStops(COLORMAPS.viridis, Math.round(t * 255) / 255));
  }
  await frame();
  return KNOWN_X.map((_, id) => {
    const [sx, sy] = screenOf(id);
    return { id, sx, sy, rgb: colours[id] };
  });
}

function screenOf(id: number): [number, number] {
  const v = must().getView();
  return [(KNOWN_X[id] - v.cx) * v.scale + canvas.clientWidth / 2, (v.cy - KNOWN_Y[id]) * v.scale + canvas.clientHeight / 2];
}

/** Solid colour per point id, so a sprite's pixels say whose thumbnail it is. */
function thumbColour(id: number): Rgb {
  return [(id * 67 + 40) % 256, (id * 131 + 90) % 256, (id * 29 + 200) % 256];
}

function installThumbnails(): void {
  const e = must();
  let served = 0;
  e.setThumbnailProvider(async (indices) => {
    const cell = 32;
    const perRow = Math.ceil(Math.sqrt(indices.length));
    const width = perRow * cell;
    const height = Math.ceil(indices.length / perRow) * cell;
    const rgba = new Uint8Array(width * height * 4);
    const rows: Array<{ index: number; u: number; v: number }> = [];
    indices.forEach((index, k) => {
      const u = (k % perRow) * cell;
      const v = Math.floor(k / perRow) * cell;
      const [r, g, b] = thumbColour(index);
      for (let yy = v; yy < v + cell; yy++) {
        for (let xx = u; xx < u + cell; xx++) rgba.set([r, g, b, 255], (yy * width + xx) * 4);
      }
      rows.push({ index, u, v });
    });
    served++;
    const atlas: ThumbnailAtlas = { atlasId: `test-${served}`, width, height, rgba, cell, entries: atlasEntries(rows) };
    return atlas;
  });
}

async function thumbnails(ids: number[]): Promise<KnownPoint[]> {
  const e = must();
  installThumbnails();
  e.zoomToPoints(ids);
  const t0 = performance.now();
  while (e.stats().sprites < ids.length && performance.now() - t0 < 5000) await raf();
  await frame();
  return KNOWN_X.map((_, k) => {
    const [sx, sy] = screenOf(k);
    return { id: k, sx, sy, rgb: thumbColour(k) };
  });
}

// ---- benchmark scenarios ----

/** Twenty Gaussian-ish clusters of labelled points, like a 2-D embedding. */
function synthetic(n: number): { x: Float32Array; y: Float32Array; labels: Uint16Array } {
  const r = rng(42);
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const labels = new Uint16Array(n);
  const centres = Array.from({ length: 20 }, () => [r() * 40 - 20, r() * 40 - 20, 0.5 + r() * 2.5]);
  for (let i = 0; i < n; i++) {
    const c = Math.floor(r() * 20);
    // Sum of uniforms approximates a normal well enough for a benchmark layout.
    const gx = r() + r() + r() - 1.5;
    const gy = r() + r() + r() - 1.5;
    x[i] = centres[c][0] + gx * centres[c][2];
    y[i] = centres[c][1] + gy * centres[c][2];
    labels[i] = c;
  }
  return { x, y, labels };
}

let benchData: ReturnType<typeof synthetic> | null = null;

async function benchFirstFrame(n: number): Promise<FirstFrame> {
  const g0 = performance.now();
  benchData = synthetic(n);
  const generateMs = performance.now() - g0;
  const e = must();
  const before = e.stats().frames;
  const t0 = performance.now();
  e.setPoints({ x: benchData.x, y: benchData.y });
  e.setColorColumn(benchData.labels);
  const uploadJsMs = performance.now() - t0;
  while (e.stats().frames === before) await raf();
  const firstFrameJsMs = performance.now() - t0;
  const gl = canvas.getContext('webgl2')!;
  gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array(4));
  const firstFrameDoneMs = performance.now() - t0;
  return { points: n, generateMs, uploadJsMs, firstFrameJsMs, firstFrameDoneMs };
}

/** A hand-drawn-looking lasso round the middle of the canvas, 240 vertices. */
function lassoPolygon(): number[] {
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  const poly: number[] = [];
  for (let k = 0; k < 240; k++) {
    const a = (k / 240) * 2 * Math.PI;
    const rad = 0.3 * Math.min(w, h) * (1 + 0.15 * Math.sin(5 * a));
    poly.push(w / 2 + Math.cos(a) * rad * 1.3, h / 2 + Math.sin(a) * rad);
  }
  return poly;
}

async function benchLasso(runs: number): Promise<LassoTimes> {
  const e = must();
  if (!benchData) throw new Error('benchFirstFrame first');
  const poly = lassoPolygon();
  let t0 = performance.now();
  const first = await e.selectPolygon(poly);
  const firstMs = performance.now() - t0;
  const warmMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    // Let SwiftShader finish drawing the last selection first: it shares the same two cores.
    await frame();
    t0 = performance.now();
    await e.selectPolygon(poly);
    warmMs.push(performance.now() - t0);
  }
  await frame();
  // Main-thread share of applying a result: sort/dedupe, upload the index buffer.
  const ids = e.getSelection().slice();
  t0 = performance.now();
  e.setSelection(ids);
  const applyMs = performance.now() - t0;
  // The same selection on this thread, for comparison (grid build timed separately).
  t0 = performance.now();
  const grid = buildGrid(benchData.x, benchData.y);
  const gridBuildMs = performance.now() - t0;
  const v = e.getView();
  const data = poly.map((p, i) =>
    i % 2 === 0 ? v.cx + (p - canvas.clientWidth / 2) / v.scale : v.cy - (p - canvas.clientHeight / 2) / v.scale,
  );
  t0 = performance.now();
  const hits = selectInPolygon(grid, data);
  const mainThreadMs = performance.now() - t0;
  if (hits.ids.length !== first.info.hits) throw new Error(`worker found ${first.info.hits}, main thread ${hits.ids.length}`);
  return { hits: first.info.hits, firstMs, warmMs, mainThreadMs, gridBuildMs, applyMs };
}

async function loseAndRestoreContext(): Promise<void> {
  const gl = canvas.getContext('webgl2')!;
  const ext = gl.getExtension('WEBGL_lose_context');
  if (!ext) throw new Error('WEBGL_lose_context is not available');
  const lost = new Promise((r) => canvas.addEventListener('webglcontextlost', r, { once: true }));
  ext.loseContext();
  await lost;
  // Chromium records whether restoring is allowed after the lost event's dispatch returns.
  await new Promise((r) => setTimeout(r, 0));
  const restored = new Promise((r) => canvas.addEventListener('webglcontextrestored', r, { once: true }));
  ext.restoreContext();
  await restored;
  await frame();
}

async function benchPick(count: number): Promise<{ meanMs: number; found: number }> {
  const e = must();
  e.pick(0, 0); // builds the grid if the idle build has not run yet
  const w = canvas.clientWidth;
  const h = canvas.clientHeight;
  // Untimed first: the early calls run before the JIT has compiled the search.
  const warm = rng(3);
  for (let i = 0; i < 500; i++) e.pick(warm() * w, warm() * h);
  // The same positions each round, rounds spread over a second; the median round, so the ones a
  // busy shared machine (or the lasso worker still at work) stalls do not count.
  const rounds: number[] = [];
  let found = 0;
  for (let round = 0; round < 9; round++) {
    await new Promise((done) => setTimeout(done, 100));
    const r = rng(7);
    found = 0;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) if (e.pick(r() * w, r() * h) >= 0) found++;
    rounds.push((performance.now() - t0) / count);
  }
  rounds.sort((a, b) => a - b);
  return { meanMs: rounds[4], found };
}

const api: HarnessApi = {
  reset,
  showKnown,
  dim: async (ids) => {
    const e = must();
    const n = e.stats().points;
    const mask = new Uint8Array(n);
    for (const i of ids) mask[i] = 1;
    e.setDimmed(mask);
    await frame();
  },
  highlight: async (ids) => {
    const e = must();
    let mask: Uint8Array | null = null;
    if (ids.length > 0) {
      mask = new Uint8Array(e.stats().points);
      for (const i of ids) mask[i] = 1;
    }
    e.setHighlight(mask);
    await frame();
  },
  select: async (ids) => {
    must().setSelection(new Uint32Array(ids));
    await frame();
  },
  setTool: (t) => must().setTool(t),
  pick: (sx, sy) => must().pick(sx, sy),
  screenOf,
  events: () => events,
  thumbnails,
  installThumbnails,
  setView: (v) => must().setView(v),
  fitAll: () => must().fitAll(),
  getView: () => must().getView(),
  frame,
  stats: () => must().stats(),
  gpuObjects: () => ({ ...live }),
  workersStarted: () => workersStarted,
  destroy: () => {
    engine?.destroy();
    engine = null;
    return { ...live };
  },
  benchFirstFrame,
  benchLasso,
  benchPick,
  loseAndRestoreContext,
  takeFrameTimes: () => {
    const t = frameTimes;
    frameTimes = [];
    return t;
  },
};

(window as unknown as { harness: HarnessApi }).harness = api;
document.title = 'scene harness ready';
