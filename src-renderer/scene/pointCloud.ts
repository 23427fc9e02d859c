// The point-cloud engine's facade: owns the WebGL renderer and the passes of one canvas and wires
// its parts together: the camera (viewControl.ts), the selection and lasso (selectionControl.ts),
// drawing on demand (frameLoop.ts), input (input.ts). No React here: a component creates one per
// canvas and calls destroy() when it unmounts.
import { Color, OrthographicCamera, Scene, WebGLRenderer } from 'three';
import {
  BACKGROUND_COLOR,
  DEFAULT_POINT_COLOR,
  DEFAULT_POINT_SIZE,
  MAX_POINT_SIZE,
  MAX_SPRITES,
  MIN_POINT_SIZE,
  PICK_RADIUS_PX,
  MISSING_COLOR,
  SPRITE_SIZE_PX,
} from './constants';
import { screenToData, type View } from './camera';
import { encodeCategories, encodeScores, scoreDomain } from './colorColumn';
import { FrameLoop, type FrameResult } from './frameLoop';
import { attachInput } from './input';
import { DEFAULT_PALETTE, resolveColormap, type PaletteInfo } from './palette';
import { HoverPass } from './passes/hoverPass';
import { LassoPass } from './passes/lassoPass';
import { PointsPass } from './passes/pointsPass';
import { SelectionPass } from './passes/selectionPass';
import { COLOR_MODE, ColorUniforms, createViewUniforms } from './passes/uniforms';
import { modeFromModifiers, type SelectMode } from './selection';
import { SelectionControl } from './selectionControl';
import { buildGrid, nearest, type SpatialGrid } from './spatialGrid';
import { SpriteControl } from './spriteControl';
import { ViewControl } from './viewControl';
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
  private readonly sprites: SpriteControl;
  private readonly handlers: Handlers = { select: new Set(), hover: new Set(), click: new Set(), view: new Set() };
  private readonly detachInput: (() => void) | null;
  private readonly resizeObserver: ResizeObserver | null;
  private dprQuery: MediaQueryList | null = null;
  private readonly cam = new ViewControl();
  private readonly loop = new FrameLoop((now) => this.frame(now));
  private readonly sel: SelectionControl;

  private points: PointsPass | null = null;
  private selectionPass: SelectionPass | null = null;
  private x: Float32Array = new Float32Array(0);
  private y: Float32Array = new Float32Array(0);
  private n = 0;
  private ox = 0;
  private oy = 0;
  private layoutVersion = 0;
  private grid: SpatialGrid | null = null;
  private gridTimer: ReturnType<typeof setTimeout> | null = null;
  private dim: Uint8Array | null = null;
  private hovered = -1;
  private palette: PaletteInfo = { kind: 'uniform', color: DEFAULT_POINT_COLOR };
  private pointSize: number;
  private tool: Tool;
  private lodDirty = false;
  private firstFrameDone = false;
  private destroyed = false;

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
    this.hoverPass = new HoverPass(this.viewUniforms, this.colors);
    this.sprites = new SpriteControl(this.viewUniforms, options.spriteSize ?? SPRITE_SIZE_PX, options.maxSprites ?? MAX_SPRITES, this.renderer.capabilities.maxTextureSize, () => {
      this.lodDirty = true;
      this.invalidate();
    });
    this.sel = new SelectionControl({
      count: () => this.n,
      positions: () => ({ x: this.x, y: this.y }),
      dim: () => this.dim,
      grid: () => this.ensureGrid(),
      layoutVersion: () => this.layoutVersion,
      alive: () => !this.destroyed,
      view: () => this.cam.get(),
      viewport: () => this.cam.viewport(),
      wantsMask: () => this.sprites.enabled,
      show: (ids, lod) => {
        this.selectionPass?.setSelection(ids);
        if (lod) this.lodDirty = true;
        this.invalidate();
      },
    }, options.worker);
    this.scene.add(this.sprites.pass.object, this.hoverPass.object, this.lassoPass.object);
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
    this.cam.setLayout(x, y, true);
    const b = this.cam.bounds;
    this.ox = b ? (b.minX + b.maxX) / 2 : 0;
    this.oy = b ? (b.minY + b.maxY) / 2 : 0;
    this.points = new PointsPass(this.n, this.viewUniforms, this.colors);
    this.points.writePositions(x, y, this.ox, this.oy, false);
    this.selectionPass = new SelectionPass(this.points, this.viewUniforms, this.colors);
    this.selectionPass.setRing(this.ringWidth());
    this.scene.add(this.points.object, this.selectionPass.object);
    this.dim = null;
    this.sel.reset();
    this.setHoveredInternal(-1, false, true);
    this.sprites.clear();
    this.colors.uColorMode.value = COLOR_MODE.uniform;
    this.palette = { kind: 'uniform', color: DEFAULT_POINT_COLOR };
    this.grid = null;
    // The grid and the worker's copy are built after the first frame, off the critical path.
    this.firstFrameDone = false;
    this.loop.stats.points = this.n;
    this.cam.fitIfReady(true);
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
    this.cam.setLayout(x, y, false);
    this.points.writePositions(x, y, this.ox, this.oy, true);
    this.grid = null;
    this.sel.layoutChanged();
    this.scheduleGrid(200);
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
    this.sel.setDim(this.dim);
    if (this.hovered >= 0 && this.dim?.[this.hovered]) this.setHoveredInternal(-1, true);
    this.lodDirty = true;
    this.invalidate();
  }

  setSelection(ids: Uint32Array): void {
    this.assertAlive();
    this.requirePoints();
    this.sel.set(ids);
  }

  getSelection(): Uint32Array {
    return this.sel.get();
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

  private async runSelect(screenPolygon: ArrayLike<number>, mode: SelectMode, source: SelectInfo['source']): Promise<{ ids: Uint32Array; info: SelectInfo }> {
    this.assertAlive();
    this.requirePoints();
    const { ids, info, changed } = await this.sel.selectPolygon(screenPolygon, mode, source);
    if (changed) this.emit('select', ids, info);
    return { ids, info };
  }

  // ---- picking -----------------------------------------------------------------------------

  pick(screenX: number, screenY: number): number {
    if (!this.points || this.n === 0) return -1;
    const vp = this.cam.viewport();
    const view = this.cam.get();
    const onSprite = this.sprites.hit(view, vp, this.ox, this.oy, screenX, screenY);
    if (onSprite >= 0) return onSprite;
    const [x, y] = screenToData(view, vp, screenX, screenY);
    const radius = Math.max(PICK_RADIUS_PX, this.pointSize / 2) / view.scale;
    return nearest(this.ensureGrid(), x, y, radius, this.dim);
  }

  // ---- camera ------------------------------------------------------------------------------

  getView(): View {
    return { ...this.cam.get() };
  }

  setView(view: View, options?: { animate?: boolean }): void {
    this.moved(this.cam.set(view, options?.animate));
  }

  fitAll(options?: { animate?: boolean }): void {
    this.moved(this.cam.fitAll(options?.animate));
  }

  zoomToPoints(ids: ArrayLike<number>, options?: { animate?: boolean }): void {
    this.moved(this.cam.zoomToPoints(this.x, this.y, ids, options?.animate));
  }

  zoomBy(factor: number, screenX = this.cam.width / 2, screenY = this.cam.height / 2): void {
    this.moved(this.cam.zoomBy(factor, screenX, screenY));
  }

  /** After a camera change: sprites re-pick and the frame redraws. */
  private moved(changed: boolean): void {
    if (!changed) return;
    this.lodDirty = true;
    this.invalidate();
  }

  setThumbnailProvider(provider: ThumbnailProvider | null): void {
    this.sprites.setProvider(provider);
    if (provider && this.sel.get().length > 0) this.sel.refresh();
    if (!provider) this.sel.mask = null;
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
    if (dpr !== this.cam.dpr) this.watchPixelRatio(dpr);
    if (!this.cam.setSize(width, height, dpr)) return;
    this.renderer.setPixelRatio(dpr);
    this.renderer.setSize(Math.max(1, width), Math.max(1, height), false);
    this.lassoPass.setViewport(Math.max(1, width), Math.max(1, height));
    this.sprites.setPixelRatio(dpr);
    this.selectionPass?.setRing(this.ringWidth());
    this.cam.fitIfReady(this.points !== null);
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
    return { ...this.loop.stats };
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.loop.stop();
    if (this.gridTimer !== null) clearTimeout(this.gridTimer);
    this.detachInput?.();
    this.resizeObserver?.disconnect();
    this.dprQuery?.removeEventListener('change', this.onPixelRatioChange);
    this.canvas.removeEventListener('webglcontextlost', this.onContextLost);
    this.canvas.removeEventListener('webglcontextrestored', this.onContextRestored);
    this.sel.dispose();
    this.disposePointPasses();
    this.sprites.dispose();
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

  /** Selection ring, device pixels: thin on small dots so dense selections stay readable. */
  private ringWidth(): number {
    return (this.pointSize < 6 ? 1 : 2) * this.cam.dpr;
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
      if (this.sprites.enabled) this.invalidate();
    }, delayMs);
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
      const sprite = this.sprites.isSprite(index);
      const dpr = this.cam.dpr;
      const size = sprite ? this.sprites.spriteSize * dpr + 2 * dpr : (this.pointSize + 6) * dpr;
      this.hoverPass.show(pos[2 * index], pos[2 * index + 1], this.points.colorArray[index], size, 2 * dpr, sprite);
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
    if (!this.destroyed) this.loop.invalidate();
  }

  private applyUniforms(): void {
    const u = this.viewUniforms;
    const vp = this.cam.viewport();
    const view = this.cam.get();
    const dpr = this.cam.dpr;
    u.uCenter.value.set(view.cx - this.ox, view.cy - this.oy);
    u.uScale.value.set((2 * view.scale) / vp.width, (2 * view.scale) / vp.height);
    u.uPixelToClip.value.set(2 / (vp.width * dpr), 2 / (vp.height * dpr));
    u.uPointSize.value = this.pointSize * dpr;
    u.uPixelRatio.value = dpr;
  }

  private frame(now: number): FrameResult {
    if (this.destroyed || !this.cam.hasSize()) return 'skipped';
    const step = this.cam.step(now);
    if (step !== 'idle') this.lodDirty = true;
    this.applyUniforms();
    if (this.lodDirty) this.updateSprites();
    this.renderer.render(this.scene, this.camera);
    if (this.cam.takeChanged()) this.emit('view', { ...this.cam.get() });
    if (!this.firstFrameDone && this.points) {
      this.firstFrameDone = true;
      // Off the path to the first frame: the worker's copy now, the picking grid when idle.
      setTimeout(() => {
        if (this.destroyed) return;
        this.sel.primeWorker();
        this.scheduleGrid(0);
      }, 0);
    }
    return step === 'moving' ? 'again' : 'drawn';
  }

  private updateSprites(): void {
    this.lodDirty = false;
    if (!this.sprites.enabled || !this.points) {
      this.loop.stats.sprites = 0;
      return;
    }
    // Without a grid yet (first moments of a layout) there are no sprites; it is scheduled.
    if (!this.grid) return;
    this.loop.stats.sprites = this.sprites.update(this.grid, this.cam.get(), this.cam.viewport(), this.points.position.array as Float32Array, this.dim, this.sel.mask);
    // The hover outline follows whether its point is now a sprite or a dot.
    if (this.hovered >= 0) this.setHoveredInternal(this.hovered, false, true);
  }

  private inputSink() {
    return {
      tool: () => this.tool,
      size: () => this.cam.viewport(),
      panBy: (dx: number, dy: number) => this.moved(this.cam.panBy(dx, dy)),
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
    this.loop.cancel();
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
