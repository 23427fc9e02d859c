// The point-cloud engine's facade: implements the public API (types.ts) by wiring its parts:
// the WebGL surface (surface.ts), the layout's GPU layers (pointLayers.ts), the camera
// (viewControl.ts), selection and lasso (selectionControl.ts), thumbnails (spriteControl.ts),
// hover (hoverControl.ts), picking (pickGrid.ts), events (events.ts) and drawing on demand
// (frameLoop.ts). No React here: a component creates one per canvas and calls destroy().
import { DEFAULT_POINT_SIZE, MAX_POINT_SIZE, MAX_SPRITES, MIN_POINT_SIZE, PICK_RADIUS_PX, SPRITE_SIZE_PX, WORKER_GRID_WAIT_MS } from './constants';
import { screenToData, type Covered, type View } from './camera';
import { Emitter } from './events';
import { FrameLoop, type FrameResult } from './frameLoop';
import { HoverControl } from './hoverControl';
import { attachInput } from './input';
import type { PaletteInfo } from './palette';
import { LassoPass } from './passes/lassoPass';
import { ColorUniforms, createViewUniforms } from './passes/uniforms';
import { PickGrid } from './pickGrid';
import { PointLayers } from './pointLayers';
import { modeFromModifiers, type SelectMode } from './selection';
import { SelectionControl } from './selectionControl';
import { SpriteControl } from './spriteControl';
import { RenderSurface } from './surface';
import { ViewControl } from './viewControl';
import type {
  CategoricalScheme,
  ContinuousScheme,
  FrameStats,
  Modifiers,
  PointCloud,
  PointCloudEvents,
  PointCloudOptions,
  PointColumns,
  SelectInfo,
  ThumbnailProvider,
  Tool,
} from './types';

export function createPointCloud(canvas: HTMLCanvasElement, options: PointCloudOptions = {}): PointCloud {
  return new PointCloudEngine(canvas, options);
}

class PointCloudEngine implements PointCloud {
  private readonly surface: RenderSurface;
  private readonly viewUniforms = createViewUniforms();
  private readonly colors = new ColorUniforms();
  private readonly layers: PointLayers;
  private readonly hover: HoverControl;
  private readonly lassoPass = new LassoPass();
  private readonly sprites: SpriteControl;
  private readonly events = new Emitter();
  private readonly detachInput: (() => void) | null;
  private readonly cam = new ViewControl();
  private readonly loop = new FrameLoop((now) => this.frame(now));
  private readonly grid = new PickGrid(() => {
    this.lodDirty = true;
    if (this.sprites.enabled) this.invalidate();
  });
  private readonly sel: SelectionControl;
  private pointSize: number;
  private tool: Tool;
  private lodDirty = false;
  private firstFrameDone = false;
  private destroyed = false;

  constructor(canvas: HTMLCanvasElement, options: PointCloudOptions) {
    this.surface = new RenderSurface(canvas, options, {
      resized: () => this.resize(),
      lost: () => this.loop.cancel(),
      restored: () => this.invalidate(),
    });
    this.layers = new PointLayers(this.viewUniforms, this.colors, this.surface);
    this.pointSize = clampPointSize(options.pointSize ?? DEFAULT_POINT_SIZE);
    this.tool = options.tool ?? 'pan';
    this.hover = new HoverControl(this.viewUniforms, this.colors, {
      points: () => this.layers.points,
      isSprite: (i) => this.sprites.isSprite(i),
      spriteSize: () => this.sprites.spriteSize,
      pointSize: () => this.pointSize,
      highlighted: (i) => this.layers.highlight?.[i] === 1,
      dpr: () => this.cam.dpr,
      emit: (i) => this.events.emit('hover', i),
      invalidate: () => this.invalidate(),
    });
    this.sprites = new SpriteControl(this.viewUniforms, this.colors, options.spriteSize ?? SPRITE_SIZE_PX, options.maxSprites ?? MAX_SPRITES, this.surface.maxTextureSize, () => {
      this.lodDirty = true;
      this.invalidate();
    });
    this.sel = new SelectionControl({
      count: () => this.layers.n,
      positions: () => ({ x: this.layers.x, y: this.layers.y }),
      dim: () => this.layers.dim,
      grid: () => this.grid.ensure(),
      layoutVersion: () => this.layers.layoutVersion,
      alive: () => !this.destroyed,
      view: () => this.cam.get(),
      viewport: () => this.cam.viewport(),
      wantsMask: () => this.sprites.enabled,
      show: (ids, lod) => {
        this.layers.showSelection(ids);
        if (lod) this.lodDirty = true;
        this.invalidate();
      },
      gridBuilt: (version, grid) => {
        if (!this.destroyed && version === this.layers.layoutVersion) this.grid.adopt(grid);
      },
    }, options.worker);
    this.surface.add(this.sprites.pass.object, this.hover.pass.object, this.lassoPass.object);
    this.detachInput = options.interactive === false ? null : attachInput(canvas, this.inputSink());
    this.resize();
  }

  // ---- data ------------------------------------------------------------------------------

  setPoints({ x, y }: PointColumns): void {
    this.assertAlive();
    if (x.length !== y.length) throw new Error(`x has ${x.length} values, y has ${y.length}`);
    this.cam.setLayout(x, y, true);
    const b = this.cam.bounds;
    this.layers.setPoints(x, y, { x: b ? (b.minX + b.maxX) / 2 : 0, y: b ? (b.minY + b.maxY) / 2 : 0 }, this.ringWidth(), this.cam.dpr);
    this.sel.reset();
    this.hover.set(-1, false, true);
    this.sprites.clear();
    this.grid.setLayout(x, y);
    // The grid and the worker's copy are built after the first frame, off the critical path.
    this.firstFrameDone = false;
    this.loop.stats.points = this.layers.n;
    this.cam.fitIfReady(true);
    this.lodDirty = true;
    this.invalidate();
  }

  updatePositions(x: Float32Array, y: Float32Array): void {
    this.assertAlive();
    this.layers.require();
    const n = this.layers.n;
    if (x.length !== n || y.length !== n) throw new Error(`updatePositions needs ${n} values; use setPoints for a different point set`);
    this.cam.setLayout(x, y, false);
    this.layers.updatePositions(x, y);
    this.grid.setLayout(x, y);
    this.sel.layoutChanged();
    this.grid.schedule(200);
    this.hover.refresh();
    this.lodDirty = true;
    this.invalidate();
  }

  setColorColumn(values: Uint16Array | Float32Array | null, scheme?: CategoricalScheme | ContinuousScheme): void {
    this.assertAlive();
    this.layers.setColorColumn(values, scheme, this.surface.maxTextureSize);
    this.hover.refresh();
    // Sprite rims carry the colours.
    this.lodDirty = true;
    this.invalidate();
  }

  getPalette(): PaletteInfo {
    return this.layers.palette;
  }

  setDimmed(mask: Uint8Array | null): void {
    this.assertAlive();
    this.layers.setDimmed(mask);
    this.sel.setDim(this.layers.dim);
    if (this.hover.index >= 0 && this.layers.dim?.[this.hover.index]) this.hover.set(-1, true);
    this.lodDirty = true;
    this.invalidate();
  }

  setHighlight(mask: Uint8Array | null): void {
    this.assertAlive();
    this.layers.setHighlight(mask);
    this.hover.refresh();
    this.lodDirty = true;
    this.invalidate();
  }

  setSelection(ids: Uint32Array): void {
    this.assertAlive();
    this.layers.require();
    this.sel.set(ids);
  }

  getSelection(): Uint32Array {
    return this.sel.get();
  }

  setHovered(index: number): void {
    this.assertAlive();
    this.hover.set(index >= 0 && index < this.layers.n ? index : -1, false);
  }

  setPointSize(px: number): void {
    this.pointSize = clampPointSize(px);
    this.layers.setRing(this.ringWidth(), this.cam.dpr);
    this.applyUniforms();
    this.invalidate();
  }

  setTool(tool: Tool): void {
    this.tool = tool;
  }

  setThumbnailProvider(provider: ThumbnailProvider | null): void {
    this.sprites.setProvider(provider);
    if (provider && this.sel.get().length > 0) this.sel.refresh();
    if (!provider) this.sel.mask = null;
    this.lodDirty = true;
    this.invalidate();
  }

  // ---- selection and picking ---------------------------------------------------------------

  async selectPolygon(screenPolygon: ArrayLike<number>, mode: SelectMode = 'replace'): Promise<{ ids: Uint32Array; info: SelectInfo }> {
    return this.runSelect(screenPolygon, mode, 'api');
  }

  private async runSelect(screenPolygon: ArrayLike<number>, mode: SelectMode, source: SelectInfo['source']): Promise<{ ids: Uint32Array; info: SelectInfo }> {
    this.assertAlive();
    this.layers.require();
    const { ids, info, changed } = await this.sel.selectPolygon(screenPolygon, mode, source);
    if (changed) this.events.emit('select', ids, info);
    return { ids, info };
  }

  pick(screenX: number, screenY: number): number {
    if (!this.layers.points || this.layers.n === 0) return -1;
    const vp = this.cam.viewport();
    const view = this.cam.get();
    const onSprite = this.sprites.hit(view, vp, this.layers.ox, this.layers.oy, screenX, screenY);
    if (onSprite >= 0) return onSprite;
    const [x, y] = screenToData(view, vp, screenX, screenY);
    return this.grid.nearest(x, y, Math.max(PICK_RADIUS_PX, this.pointSize / 2) / view.scale, this.layers.dim);
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

  setCovered(box: Covered | null): void {
    this.moved(this.cam.setCovered(box));
  }

  zoomToPoints(ids: ArrayLike<number>, options?: { animate?: boolean }): void {
    this.moved(this.cam.zoomToPoints(this.layers.x, this.layers.y, ids, options?.animate));
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

  // ---- plumbing ----------------------------------------------------------------------------

  on<K extends keyof PointCloudEvents>(event: K, handler: PointCloudEvents[K]): () => void {
    return this.events.on(event, handler);
  }

  resize(): void {
    if (this.destroyed) return;
    const { width, height, dpr } = this.surface.measure();
    if (dpr !== this.cam.dpr) this.surface.watchPixelRatio(dpr);
    if (!this.cam.setSize(width, height, dpr)) return;
    this.surface.setSize(width, height, dpr);
    this.lassoPass.setViewport(Math.max(1, width), Math.max(1, height));
    this.sprites.setPixelRatio(dpr);
    this.layers.setRing(this.ringWidth(), this.cam.dpr);
    this.cam.fitIfReady(this.layers.points !== null);
    this.lodDirty = true;
    this.invalidate();
  }

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
    this.grid.dispose();
    this.detachInput?.();
    this.sel.dispose();
    this.layers.dispose();
    this.sprites.dispose();
    this.hover.dispose();
    this.lassoPass.dispose();
    this.colors.dispose();
    this.surface.dispose();
    this.events.clear();
  }

  private assertAlive(): void {
    if (this.destroyed) throw new Error('the point cloud was destroyed');
  }

  /** Selection ring, device pixels: thin on small dots so dense selections stay readable. */
  private ringWidth(): number {
    return (this.pointSize < 6 ? 1 : 2) * this.cam.dpr;
  }

  private invalidate(): void {
    if (!this.destroyed) this.loop.invalidate();
  }

  private applyUniforms(): void {
    const u = this.viewUniforms;
    const vp = this.cam.viewport();
    const view = this.cam.get();
    const dpr = this.cam.dpr;
    u.uCenter.value.set(view.cx - this.layers.ox, view.cy - this.layers.oy);
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
    this.surface.render();
    if (this.cam.takeChanged()) this.events.emit('view', { ...this.cam.get() });
    if (!this.firstFrameDone && this.layers.points) {
      this.firstFrameDone = true;
      // For benches: when a point set first reached the screen (the GPU may still be drawing it).
      performance.mark('scene:points-drawn');
      // Off the path to the first frame: the worker's copy now, and the picking grid from it
      // (built there, a million points are most of a second of this thread on a slow machine);
      // built here only without a worker, if the worker is late, or on a first pick before it.
      setTimeout(() => {
        if (this.destroyed) return;
        this.sel.primeWorker();
        this.grid.schedule(this.sel.workerBuildsGrid ? WORKER_GRID_WAIT_MS : 0);
      }, 0);
    }
    return step === 'moving' ? 'again' : 'drawn';
  }

  private updateSprites(): void {
    this.lodDirty = false;
    const points = this.layers.points;
    if (!this.sprites.enabled || !points) {
      this.loop.stats.sprites = 0;
      return;
    }
    // Without a grid yet (first moments of a layout) there are no sprites; it is scheduled.
    const grid = this.grid.current;
    if (!grid) return;
    this.loop.stats.sprites = this.sprites.update(grid, this.cam.get(), this.cam.viewport(), points.position.array as Float32Array, this.layers.dim, this.sel.mask, points.colorArray, this.layers.highlight);
    // The hover outline follows whether its point is now a sprite or a dot.
    this.hover.refresh();
  }

  private inputSink() {
    return {
      tool: () => this.tool,
      size: () => this.cam.viewport(),
      panBy: (dx: number, dy: number) => this.moved(this.cam.panBy(dx, dy)),
      zoomAt: (sx: number, sy: number, factor: number) => this.zoomBy(factor, sx, sy),
      fitAll: () => this.fitAll({ animate: true }),
      hover: (sx: number, sy: number) => this.hover.set(this.pick(sx, sy), true),
      leave: () => this.hover.set(-1, true),
      click: (sx: number, sy: number, m: Modifiers) => this.events.emit('click', this.pick(sx, sy), m),
      lassoPath: (path: number[]) => {
        this.lassoPass.setPath(path);
        this.invalidate();
      },
      lassoDone: (path: number[], m: Modifiers, box: boolean) => {
        void this.runSelect(path, modeFromModifiers(m), box ? 'box' : 'lasso');
      },
    };
  }
}

function clampPointSize(px: number): number {
  return Math.min(MAX_POINT_SIZE, Math.max(MIN_POINT_SIZE, px));
}
