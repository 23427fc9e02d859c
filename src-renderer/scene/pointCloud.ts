// The point-cloud engine: owns the WebGL renderer, the passes, the camera, the spatial grid
// and the input handlers of one canvas. No React here: a component creates one per canvas and
// calls destroy() when it unmounts.
import { Color, OrthographicCamera, Scene, WebGLRenderer } from 'three';
import {
  BACKGROUND_COLOR,
  CAMERA_ANIMATION_MS,
  DEFAULT_POINT_COLOR,
  DEFAULT_POINT_SIZE,
  FIT_PADDING_PX,
  MAX_ATLAS_BYTES,
  MAX_POINT_SIZE,
  MAX_SPRITES,
  MAX_ZOOM_RELATIVE,
  MIN_POINT_SIZE,
  MIN_ZOOM_RELATIVE,
  PICK_RADIUS_PX,
  SPRITE_COVERAGE,
  SPRITE_OVERFLOW_FACTOR,
  MISSING_COLOR,
  SPRITE_SIZE_PX,
} from './constants';
import {
  boundsOf,
  clampScale,
  dataToScreen,
  fitRect,
  lerpView,
  panBy,
  screenToData,
  visibleRect,
  zoomAt,
  type Rect,
  type View,
  type ZoomLimits,
} from './camera';
import { encodeCategories, encodeScores, scoreDomain } from './colorColumn';
import { attachInput } from './input';
import { defaultLassoWorker, LassoClient } from './lassoClient';
import { spriteBudget, spritesInView } from './lod';
import { DEFAULT_PALETTE, resolveColormap, type PaletteInfo } from './palette';
import { HoverPass } from './passes/hoverPass';
import { LassoPass } from './passes/lassoPass';
import { PointsPass } from './passes/pointsPass';
import { SelectionPass } from './passes/selectionPass';
import { ThumbnailPass } from './passes/thumbnailPass';
import { COLOR_MODE, ColorUniforms, createViewUniforms } from './passes/uniforms';
import { selectInPolygon, type PolygonHits } from './polygon';
import { combineSelection, modeFromModifiers, normalizeIds, type SelectMode } from './selection';
import { buildGrid, nearest, type SpatialGrid } from './spatialGrid';
import { ThumbnailLoader } from './thumbnails';
import type {
  CategoricalScheme,
  ContinuousScheme,
  FrameStats,
  PointCloud,
  PointCloudEvents,
  PointCloudOptions,
  PointColumns,
  SelectInfo,
  ThumbnailProvider,
  Tool,
} from './types';

type Handlers = { [K in keyof PointCloudEvents]: Set<PointCloudEvents[K]> };

const EMPTY_IDS = new Uint32Array(0);

export function createPointCloud(canvas: HTMLCanvasElement, options: PointCloudOptions = {}): PointCloud {
  return new PointCloudEngine(canvas, options);
}

class PointCloudEngine implements PointCloud {
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  /** three.js wants a camera; the passes place points with their own uniforms. */
  private readonly camera = new OrthographicCamera(-1, 1, 1, -1, -1, 1);
  private readonly viewUniforms = createViewUniforms();
  private readonly colors = new ColorUniforms();
  private readonly hoverPass: HoverPass;
  private readonly lassoPass = new LassoPass();
  private readonly thumbPass: ThumbnailPass;
  private readonly thumbLoader: ThumbnailLoader;
  private readonly lasso: LassoClient;
  private readonly handlers: Handlers = { select: new Set(), hover: new Set(), click: new Set(), view: new Set() };
  private readonly detachInput: (() => void) | null;
  private readonly resizeObserver: ResizeObserver | null;
  private dprQuery: MediaQueryList | null = null;

  private points: PointsPass | null = null;
  private selectionPass: SelectionPass | null = null;
  private x: Float32Array = new Float32Array(0);
  private y: Float32Array = new Float32Array(0);
  private n = 0;
  private ox = 0;
  private oy = 0;
  private layoutVersion = 0;
  /** Bounds of the placed points, recomputed when positions change. */
  private bounds: Rect | null = null;
  private grid: SpatialGrid | null = null;
  private gridTimer: ReturnType<typeof setTimeout> | null = null;
  private workerStale = false;
  private dim: Uint8Array | null = null;
  private selection: Uint32Array = EMPTY_IDS;
  private selectedMask: Uint8Array | null = null;
  private hovered = -1;
  private palette: PaletteInfo = { kind: 'uniform', color: DEFAULT_POINT_COLOR };
  private pointSize: number;
  private tool: Tool;
  private provider: ThumbnailProvider | null = null;
  private readonly spriteSize: number;
  private readonly maxSprites: number;

  private view: View = { cx: 0, cy: 0, scale: 1 };
  private limits: ZoomLimits = { minScale: 1e-12, maxScale: 1e12 };
  private width = 0;
  private height = 0;
  private dpr = 1;
  private fitted = false;
  private anim: { from: View; to: View; start: number; ms: number } | null = null;
  private raf = 0;
  private viewChanged = false;
  private lodDirty = false;
  private firstFrameDone = false;
  private destroyed = false;
  private readonly frameStats: FrameStats = { frames: 0, lastFrameMs: 0, points: 0, sprites: 0 };

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly options: PointCloudOptions,
  ) {
    this.renderer = new WebGLRenderer({
      canvas,
      antialias: false,
      alpha: false,
      depth: false,
      stencil: false,
      powerPreference: 'high-performance',
      preserveDrawingBuffer: options.preserveDrawingBuffer ?? false,
    });
    this.renderer.setClearColor(new Color(options.background ?? BACKGROUND_COLOR), 1);
    this.pointSize = clampPointSize(options.pointSize ?? DEFAULT_POINT_SIZE);
    this.tool = options.tool ?? 'pan';
    this.spriteSize = options.spriteSize ?? SPRITE_SIZE_PX;
    this.maxSprites = options.maxSprites ?? MAX_SPRITES;
    this.hoverPass = new HoverPass(this.viewUniforms, this.colors);
    this.thumbPass = new ThumbnailPass(this.viewUniforms, this.maxSprites, MAX_ATLAS_BYTES, this.renderer.capabilities.maxTextureSize);
    this.thumbLoader = new ThumbnailLoader(this.thumbPass, () => {
      this.lodDirty = true;
      this.invalidate();
    });
    this.lasso = new LassoClient(options.worker === false ? null : (options.worker ?? defaultLassoWorker));
    this.scene.add(this.thumbPass.object, this.hoverPass.object, this.lassoPass.object);
    canvas.addEventListener('webglcontextlost', this.onContextLost);
    canvas.addEventListener('webglcontextrestored', this.onContextRestored);
    this.detachInput = options.interactive === false ? null : attachInput(canvas, this.inputSink());
    this.resizeObserver = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => this.resize());
    this.resizeObserver?.observe(canvas);
    this.resize();
  }

  // ---- data ------------------------------------------------------------------------------

  setPoints({ x, y }: PointColumns): void {
    this.assertAlive();
    if (x.length !== y.length) throw new Error(`x has ${x.length} values, y has ${y.length}`);
    this.disposePointPasses();
    this.n = x.length;
    this.x = x;
    this.y = y;
    this.layoutVersion++;
    const b = (this.bounds = boundsOf(x, y));
    this.ox = b ? (b.minX + b.maxX) / 2 : 0;
    this.oy = b ? (b.minY + b.maxY) / 2 : 0;
    this.points = new PointsPass(this.n, this.viewUniforms, this.colors);
    this.points.writePositions(x, y, this.ox, this.oy, false);
    this.selectionPass = new SelectionPass(this.points, this.viewUniforms, this.colors);
    this.selectionPass.setRing(this.ringWidth());
    this.scene.add(this.points.object, this.selectionPass.object);
    this.dim = null;
    this.selection = EMPTY_IDS;
    this.selectedMask = null;
    this.setHoveredInternal(-1, false, true);
    this.thumbPass.clear();
    this.colors.uColorMode.value = COLOR_MODE.uniform;
    this.palette = { kind: 'uniform', color: DEFAULT_POINT_COLOR };
    this.grid = null;
    // The grid and the worker's copy are built after the first frame, off the critical path.
    this.firstFrameDone = false;
    this.workerStale = true;
    this.frameStats.points = this.n;
    this.updateLimits();
    this.fitted = false;
    this.fitIfReady();
    this.lodDirty = true;
    this.invalidate();
  }

  updatePositions(x: Float32Array, y: Float32Array): void {
    this.assertAlive();
    if (!this.points) throw new Error('setPoints first');
    if (x.length !== this.n || y.length !== this.n) {
      throw new Error(`updatePositions needs ${this.n} values; use setPoints for a different point set`);
    }
    this.x = x;
    this.y = y;
    this.layoutVersion++;
    this.bounds = boundsOf(x, y);
    this.points.writePositions(x, y, this.ox, this.oy, true);
    this.grid = null;
    this.workerStale = true;
    this.scheduleGrid(200);
    this.updateLimits();
    if (this.hovered >= 0) this.setHoveredInternal(this.hovered, false, true);
    this.lodDirty = true;
    this.invalidate();
  }

  setColorColumn(values: Uint16Array | Float32Array | null, scheme?: CategoricalScheme | ContinuousScheme): void {
    this.assertAlive();
    const p = this.requirePoints();
    if (values === null) {
      this.colors.uColorMode.value = COLOR_MODE.uniform;
      this.palette = { kind: 'uniform', color: DEFAULT_POINT_COLOR };
    } else if (values.length !== this.n) {
      throw new Error(`colour column has ${values.length} values for ${this.n} points`);
    } else if (values instanceof Uint16Array) {
      const palette = (scheme as CategoricalScheme | undefined)?.palette ?? DEFAULT_PALETTE;
      if (palette.length === 0 || palette.length > this.renderer.capabilities.maxTextureSize) {
        throw new Error(`a palette needs 1 to ${this.renderer.capabilities.maxTextureSize} colours`);
      }
      const categories = encodeCategories(values, p.colorArray);
      this.colors.setPalette(palette);
      this.colors.uColorMode.value = COLOR_MODE.categorical;
      this.palette = { kind: 'categorical', colors: [...palette], categories, missing: MISSING_COLOR };
    } else {
      const s = scheme as ContinuousScheme | undefined;
      const { name, stops } = resolveColormap(s?.colormap);
      const domain = s?.domain ?? scoreDomain(values);
      encodeScores(values, p.colorArray, domain);
      this.colors.setColormap(stops);
      this.colors.uColorMode.value = COLOR_MODE.continuous;
      this.palette = { kind: 'continuous', colormap: name, stops: [...stops], domain: [domain[0], domain[1]], missing: MISSING_COLOR };
    }
    p.colorsChanged();
    if (this.hovered >= 0) this.setHoveredInternal(this.hovered, false, true);
    this.invalidate();
  }

  getPalette(): PaletteInfo {
    return this.palette;
  }

  setDimmed(mask: Uint8Array | null): void {
    this.assertAlive();
    const p = this.requirePoints();
    if (mask && mask.length !== this.n) throw new Error(`dim mask has ${mask.length} values for ${this.n} points`);
    this.dim = mask ? mask.slice() : null;
    p.setDimmed(this.dim);
    this.lasso.setSkip(this.dim);
    if (this.hovered >= 0 && this.dim?.[this.hovered]) this.setHoveredInternal(-1, true);
    this.lodDirty = true;
    this.invalidate();
  }

  setSelection(ids: Uint32Array): void {
    this.assertAlive();
    this.requirePoints();
    // A host writing back the array `select` gave it: already sorted, unique and drawn.
    if (ids === this.selection) return;
    this.applySelection(normalizeIds(this.n, ids));
  }

  getSelection(): Uint32Array {
    return this.selection;
  }

  setHovered(index: number): void {
    this.assertAlive();
    this.setHoveredInternal(index >= 0 && index < this.n ? index : -1, false);
  }

  setPointSize(px: number): void {
    this.pointSize = clampPointSize(px);
    this.selectionPass?.setRing(this.ringWidth());
    this.applyUniforms();
    this.invalidate();
  }

  setTool(tool: Tool): void {
    this.tool = tool;
  }

  // ---- selection ---------------------------------------------------------------------------

  async selectPolygon(screenPolygon: ArrayLike<number>, mode: SelectMode = 'replace'): Promise<{ ids: Uint32Array; info: SelectInfo }> {
    return this.runSelect(screenPolygon, mode, 'api');
  }

  private async runSelect(
    screenPolygon: ArrayLike<number>,
    mode: SelectMode,
    source: SelectInfo['source'],
  ): Promise<{ ids: Uint32Array; info: SelectInfo }> {
    this.assertAlive();
    this.requirePoints();
    const poly = new Float64Array(screenPolygon.length & ~1);
    const vp = this.viewport();
    for (let i = 0; i + 1 < screenPolygon.length; i += 2) {
      const [dx, dy] = screenToData(this.view, vp, screenPolygon[i], screenPolygon[i + 1]);
      poly[i] = dx;
      poly[i + 1] = dy;
    }
    if (this.workerStale) this.primeWorker();
    const version = this.layoutVersion;
    const hits: PolygonHits = await this.lasso.select(poly, () => selectInPolygon(this.ensureGrid(), poly, this.dim));
    if (this.destroyed || version !== this.layoutVersion) {
      return { ids: this.selection, info: { mode, source, hits: 0, reason: hits.reason } };
    }
    const info: SelectInfo = { mode, source, hits: hits.ids.length, reason: hits.reason };
    // A polygon that cannot select leaves the selection as it was, even in replace mode.
    if (!hits.reason) this.applySelection(combineSelection(this.n, this.selection, hits.ids, mode));
    this.emit('select', this.selection, info);
    return { ids: this.selection, info };
  }

  private applySelection(ids: Uint32Array): void {
    this.selection = ids;
    this.selectionPass?.setSelection(ids);
    if (this.provider) {
      this.selectedMask = new Uint8Array(this.n);
      for (let i = 0; i < ids.length; i++) this.selectedMask[ids[i]] = 1;
      this.lodDirty = true;
    } else {
      this.selectedMask = null;
    }
    this.invalidate();
  }

  // ---- picking -----------------------------------------------------------------------------

  pick(screenX: number, screenY: number): number {
    if (!this.points || this.n === 0) return -1;
    const vp = this.viewport();
    const drawn = this.thumbPass.drawn;
    const half = this.spriteSize / 2;
    for (let k = drawn.length - 1; k >= 0; k--) {
      const s = drawn[k];
      const [sx, sy] = dataToScreen(this.view, vp, s.x + this.ox, s.y + this.oy);
      if (Math.abs(screenX - sx) <= half && Math.abs(screenY - sy) <= half) return s.id;
    }
    const [x, y] = screenToData(this.view, vp, screenX, screenY);
    const radius = Math.max(PICK_RADIUS_PX, this.pointSize / 2) / this.view.scale;
    return nearest(this.ensureGrid(), x, y, radius, this.dim);
  }

  // ---- camera ------------------------------------------------------------------------------

  getView(): View {
    return { ...this.view };
  }

  setView(view: View, options?: { animate?: boolean }): void {
    const to = { cx: view.cx, cy: view.cy, scale: clampScale(view.scale, this.limits) };
    if (!(to.scale > 0) || !Number.isFinite(to.cx) || !Number.isFinite(to.cy)) return;
    if (options?.animate && !prefersReducedMotion()) {
      this.anim = { from: { ...this.view }, to, start: performance.now(), ms: CAMERA_ANIMATION_MS };
    } else {
      this.anim = null;
      this.view = to;
    }
    this.viewChanged = true;
    this.lodDirty = true;
    this.invalidate();
  }

  fitAll(options?: { animate?: boolean }): void {
    if (!this.bounds || this.width === 0) return;
    this.setView(fitRect(this.bounds, this.viewport(), FIT_PADDING_PX), options);
  }

  zoomToPoints(ids: ArrayLike<number>, options?: { animate?: boolean }): void {
    // Ids outside the layout read undefined coordinates, which boundsOf skips like NaN.
    const b = boundsOf(this.x, this.y, ids);
    if (!b || this.width === 0) return;
    let view = fitRect(b, this.viewport(), FIT_PADDING_PX * 4);
    // One point (or several on top of each other): centre it and zoom in a fixed step.
    if (b.maxX === b.minX && b.maxY === b.minY) view = { cx: b.minX, cy: b.minY, scale: Math.max(this.view.scale, this.fitScale() * 16) };
    this.setView(view, options);
  }

  zoomBy(factor: number, screenX = this.width / 2, screenY = this.height / 2): void {
    this.anim = null;
    this.setView(zoomAt(this.view, this.viewport(), screenX, screenY, factor, this.limits));
  }

  setThumbnailProvider(provider: ThumbnailProvider | null): void {
    this.provider = provider;
    if (provider && this.selection.length > 0) this.applySelection(this.selection);
    if (!provider) {
      this.thumbPass.clear();
      this.selectedMask = null;
    }
    this.thumbLoader.setProvider(provider);
    this.lodDirty = true;
    this.invalidate();
  }

  // ---- plumbing ----------------------------------------------------------------------------

  on<K extends keyof PointCloudEvents>(event: K, handler: PointCloudEvents[K]): () => void {
    const set = this.handlers[event] as Set<PointCloudEvents[K]>;
    set.add(handler);
    return () => set.delete(handler);
  }

  resize(): void {
    if (this.destroyed) return;
    const width = this.canvas.clientWidth;
    const height = this.canvas.clientHeight;
    const dpr = this.options.pixelRatio ?? (typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1);
    if (width === this.width && height === this.height && dpr === this.dpr) return;
    if (dpr !== this.dpr) this.watchPixelRatio(dpr);
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    this.renderer.setPixelRatio(dpr);
    this.renderer.setSize(Math.max(1, width), Math.max(1, height), false);
    this.lassoPass.setViewport(Math.max(1, width), Math.max(1, height));
    this.thumbPass.setSpriteSize(this.spriteSize * dpr, 2 * dpr);
    this.selectionPass?.setRing(this.ringWidth());
    this.updateLimits();
    this.fitIfReady();
    this.lodDirty = true;
    this.invalidate();
  }

  /** A ResizeObserver does not fire when the window moves to a screen of another density. */
  private watchPixelRatio(dpr: number): void {
    this.dprQuery?.removeEventListener('change', this.onPixelRatioChange);
    this.dprQuery = null;
    if (this.options.pixelRatio !== undefined || typeof matchMedia !== 'function') return;
    this.dprQuery = matchMedia(`(resolution: ${dpr}dppx)`);
    this.dprQuery.addEventListener('change', this.onPixelRatioChange);
  }

  private readonly onPixelRatioChange = (): void => this.resize();

  redraw(): void {
    this.invalidate();
  }

  stats(): FrameStats {
    return { ...this.frameStats };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    if (this.raf) cancelAnimationFrame(this.raf);
    if (this.gridTimer !== null) clearTimeout(this.gridTimer);
    this.detachInput?.();
    this.resizeObserver?.disconnect();
    this.dprQuery?.removeEventListener('change', this.onPixelRatioChange);
    this.canvas.removeEventListener('webglcontextlost', this.onContextLost);
    this.canvas.removeEventListener('webglcontextrestored', this.onContextRestored);
    this.lasso.dispose();
    this.thumbLoader.dispose();
    this.disposePointPasses();
    this.thumbPass.dispose();
    this.hoverPass.dispose();
    this.lassoPass.dispose();
    this.colors.dispose();
    this.renderer.dispose();
    for (const set of Object.values(this.handlers)) set.clear();
    this.grid = null;
  }

  private disposePointPasses(): void {
    if (this.selectionPass) this.scene.remove(this.selectionPass.object);
    if (this.points) this.scene.remove(this.points.object);
    this.selectionPass?.dispose();
    this.points?.dispose();
    this.selectionPass = null;
    this.points = null;
  }

  private requirePoints(): PointsPass {
    if (!this.points) throw new Error('setPoints first');
    return this.points;
  }

  private assertAlive(): void {
    if (this.destroyed) throw new Error('the point cloud was destroyed');
  }

  private viewport(): { width: number; height: number } {
    return { width: Math.max(1, this.width), height: Math.max(1, this.height) };
  }

  /** Selection ring, device pixels: thin on small dots so dense selections stay readable. */
  private ringWidth(): number {
    return (this.pointSize < 6 ? 1 : 2) * this.dpr;
  }

  private fitScale(): number {
    return this.bounds ? fitRect(this.bounds, this.viewport(), FIT_PADDING_PX).scale : 1;
  }

  private updateLimits(): void {
    const s = this.fitScale();
    this.limits = { minScale: s * MIN_ZOOM_RELATIVE, maxScale: s * MAX_ZOOM_RELATIVE };
  }

  private fitIfReady(): void {
    if (this.fitted || !this.points || this.width === 0 || this.height === 0) return;
    this.fitted = true;
    this.fitAll();
  }

  private ensureGrid(): SpatialGrid {
    if (!this.grid) this.grid = buildGrid(this.x, this.y);
    return this.grid;
  }

  private scheduleGrid(delayMs: number): void {
    if (this.gridTimer !== null) clearTimeout(this.gridTimer);
    this.gridTimer = setTimeout(() => {
      this.gridTimer = null;
      if (this.destroyed || this.grid) return;
      this.ensureGrid();
      this.lodDirty = true;
      if (this.provider) this.invalidate();
    }, delayMs);
  }

  private primeWorker(): void {
    this.workerStale = false;
    this.lasso.setLayout(this.x, this.y, this.dim);
  }

  /** refresh: redraw the ring even if the index is unchanged (its point moved or recoloured). */
  private setHoveredInternal(index: number, emit: boolean, refresh = false): void {
    const changed = index !== this.hovered;
    // Pointer moves over the same point must not redraw a million points.
    if (!changed && !refresh) return;
    this.hovered = index;
    if (index < 0 || !this.points) {
      this.hoverPass.hide();
    } else {
      const pos = this.points.position.array as Float32Array;
      const sprite = this.thumbPass.drawn.some((s) => s.id === index);
      const size = sprite ? this.spriteSize * this.dpr + 2 * this.dpr : (this.pointSize + 6) * this.dpr;
      this.hoverPass.show(pos[2 * index], pos[2 * index + 1], this.points.colorArray[index], size, 2 * this.dpr, sprite);
    }
    if (changed && emit) this.emit('hover', index);
    this.invalidate();
  }

  private emit<K extends keyof PointCloudEvents>(event: K, ...args: Parameters<PointCloudEvents[K]>): void {
    for (const h of [...this.handlers[event]]) {
      try {
        (h as (...a: Parameters<PointCloudEvents[K]>) => void)(...args);
      } catch (err) {
        console.error(`[scene] ${event} handler threw`, err);
      }
    }
  }

  private invalidate(): void {
    if (this.raf || this.destroyed) return;
    this.raf = requestAnimationFrame(this.frame);
  }

  private applyUniforms(): void {
    const u = this.viewUniforms;
    const vp = this.viewport();
    u.uCenter.value.set(this.view.cx - this.ox, this.view.cy - this.oy);
    u.uScale.value.set((2 * this.view.scale) / vp.width, (2 * this.view.scale) / vp.height);
    u.uPixelToClip.value.set(2 / (vp.width * this.dpr), 2 / (vp.height * this.dpr));
    u.uPointSize.value = this.pointSize * this.dpr;
    u.uPixelRatio.value = this.dpr;
  }

  private readonly frame = (now: number): void => {
    this.raf = 0;
    if (this.destroyed || this.width === 0 || this.height === 0) return;
    const t0 = performance.now();
    if (this.anim) {
      const t = (now - this.anim.start) / this.anim.ms;
      this.view = lerpView(this.anim.from, this.anim.to, t);
      this.viewChanged = true;
      this.lodDirty = true;
      if (t >= 1) this.anim = null;
    }
    this.applyUniforms();
    if (this.lodDirty) this.updateSprites();
    this.renderer.render(this.scene, this.camera);
    const t1 = performance.now();
    this.frameStats.frames++;
    this.frameStats.lastFrameMs = t1 - t0;
    performance.clearMeasures('scene:frame');
    performance.measure('scene:frame', { start: t0, end: t1 });
    if (this.anim) this.invalidate();
    if (this.viewChanged) {
      this.viewChanged = false;
      this.emit('view', { ...this.view });
    }
    if (!this.firstFrameDone && this.points) {
      this.firstFrameDone = true;
      // Off the path to the first frame: the worker's copy now, the picking grid when idle.
      setTimeout(() => {
        if (this.destroyed) return;
        if (this.workerStale) this.primeWorker();
        this.scheduleGrid(0);
      }, 0);
    }
  };

  private updateSprites(): void {
    this.lodDirty = false;
    if (!this.provider || !this.points) {
      this.frameStats.sprites = 0;
      return;
    }
    // Without a grid yet (first moments of a layout) there are no sprites; it is scheduled.
    if (!this.grid) return;
    const rect: Rect = visibleRect(this.view, this.viewport());
    // Sprites partly in view count too: widen the rectangle by half a sprite.
    const pad = this.spriteSize / 2 / this.view.scale;
    const ids = spritesInView(
      this.grid,
      { minX: rect.minX - pad, minY: rect.minY - pad, maxX: rect.maxX + pad, maxY: rect.maxY + pad },
      {
        max: spriteBudget(this.width, this.height, this.spriteSize, this.maxSprites, SPRITE_COVERAGE),
        overflowFactor: SPRITE_OVERFLOW_FACTOR,
      },
      this.dim,
    );
    this.thumbPass.show(ids, this.points.position.array as Float32Array, this.selectedMask);
    this.frameStats.sprites = this.thumbPass.drawn.length;
    // The hover outline follows whether its point is now a sprite or a dot.
    if (this.hovered >= 0) this.setHoveredInternal(this.hovered, false, true);
    this.thumbLoader.want(ids);
  }

  private inputSink() {
    return {
      tool: () => this.tool,
      size: () => this.viewport(),
      panBy: (dx: number, dy: number) => {
        this.anim = null;
        this.setView(panBy(this.view, dx, dy));
      },
      zoomAt: (sx: number, sy: number, factor: number) => this.zoomBy(factor, sx, sy),
      fitAll: () => this.fitAll({ animate: true }),
      hover: (sx: number, sy: number) => this.setHoveredInternal(this.pick(sx, sy), true),
      leave: () => this.setHoveredInternal(-1, true),
      click: (sx: number, sy: number, m: Parameters<PointCloudEvents['click']>[1]) => this.emit('click', this.pick(sx, sy), m),
      lassoPath: (path: number[]) => {
        this.lassoPass.setPath(path);
        this.invalidate();
      },
      lassoDone: (path: number[], m: Parameters<PointCloudEvents['click']>[1], box: boolean) => {
        void this.runSelect(path, modeFromModifiers(m), box ? 'box' : 'lasso');
      },
    };
  }

  private readonly onContextLost = (e: Event): void => {
    // Keeping the default would forbid a restore; our CPU copies re-upload after it.
    e.preventDefault();
    if (this.raf) cancelAnimationFrame(this.raf);
    this.raf = 0;
  };

  private readonly onContextRestored = (): void => {
    // three.js rebuilds its state on restore (it listens first), clear colour included.
    this.renderer.setClearColor(new Color(this.options.background ?? BACKGROUND_COLOR), 1);
    this.invalidate();
  };
}

function clampPointSize(px: number): number {
  return Math.min(MAX_POINT_SIZE, Math.max(MIN_POINT_SIZE, px));
}

function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
