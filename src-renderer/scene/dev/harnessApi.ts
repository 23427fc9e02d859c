// What the scene harness page (harness.ts) exposes on window.harness for the Playwright
// check and benchmark in bench/scene. Types only, no DOM, so Node code can import them.

export type Rgb = [number, number, number];

export interface KnownPoint {
  id: number;
  /** Canvas CSS pixels. */
  sx: number;
  sy: number;
  /** Colour the point should have. */
  rgb: Rgb;
}

export interface GpuObjects {
  buffers: number;
  textures: number;
  programs: number;
  shaders: number;
  vertexArrays: number;
}

export interface HarnessEvents {
  /** ids only for selections of at most 1,000 points; count always. */
  selects: Array<{ ids: number[]; count: number; mode: string; source: string; reason: string | null }>;
  hovers: number[];
  clicks: number[];
}

export interface FirstFrame {
  points: number;
  /** Data generation in the page; not part of the measured path. */
  generateMs: number;
  /** setPoints + setColorColumn, synchronous JS. */
  uploadJsMs: number;
  /** From data in hand to the first frame's render() returning. */
  firstFrameJsMs: number;
  /** From data in hand until the GPU has finished the first frame (readPixels returned). */
  firstFrameDoneMs: number;
}

export interface LassoTimes {
  hits: number;
  /** selectPolygon from call to resolve, ms: the first right after the layout arrives, then warm runs. */
  firstMs: number;
  warmMs: number[];
  /** The same polygon on the main thread with the pure functions, grid build excluded. */
  mainThreadMs: number;
  gridBuildMs: number;
  /** setSelection with the lasso's result: the main-thread share of applying one (ms). */
  applyMs: number;
}

export interface HarnessApi {
  /** A fresh engine on the 800 x 600 canvas (the old one destroyed). */
  reset(options?: { pointSize?: number; worker?: boolean; maxSprites?: number }): void;
  /** Points at known places in known colours; resolves once drawn. */
  showKnown(kind: 'categorical' | 'continuous'): Promise<KnownPoint[]>;
  dim(ids: number[]): Promise<void>;
  select(ids: number[]): Promise<void>;
  /** Highlights these points (the rest recede); an empty list clears the highlight. */
  highlight(ids: number[]): Promise<void>;
  setTool(tool: 'pan' | 'lasso' | 'box'): void;
  pick(sx: number, sy: number): number;
  screenOf(id: number): [number, number];
  events(): HarnessEvents;
  /** Installs a provider of solid-colour thumbnails, zooms on `ids`, resolves when their sprites show. */
  thumbnails(ids: number[]): Promise<KnownPoint[]>;
  /** Installs the solid-colour thumbnail provider without moving the camera. */
  installThumbnails(): void;
  setView(view: { cx: number; cy: number; scale: number }): void;
  getView(): { cx: number; cy: number; scale: number };
  fitAll(): void;
  /** Waits until a new frame has been drawn and the GPU has finished it. */
  frame(): Promise<void>;
  stats(): { frames: number; lastFrameMs: number; points: number; sprites: number };
  gpuObjects(): GpuObjects;
  /** Web Workers constructed by the page so far. */
  workersStarted(): number;
  destroy(): GpuObjects;
  benchFirstFrame(n: number): Promise<FirstFrame>;
  benchLasso(runs: number): Promise<LassoTimes>;
  /** Mean ms per pick() at random canvas positions: the median of 9 rounds 100 ms apart, after 500 untimed picks (grid built first). */
  benchPick(count: number): Promise<{ meanMs: number; found: number }>;
  /** Loses the WebGL context, restores it and waits for the next frame. */
  loseAndRestoreContext(): Promise<void>;
  /** scene:frame measures (JS ms per frame) since the previous call. */
  takeFrameTimes(): number[];
}
