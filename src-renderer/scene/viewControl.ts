// The camera state of one canvas: the view, its size and pixel ratio, zoom limits from the
// layout's bounds, fitting and animated moves. Pure state over camera.ts's math; the engine
// turns a change into a frame.
import { CAMERA_ANIMATION_MS, FIT_PADDING_PX, MAX_ZOOM_RELATIVE, MIN_ZOOM_RELATIVE } from './constants';
import { boundsOf, clampScale, fitClearOf, fitRect, lerpView, panBy, zoomAt, type Covered, type Rect, type View, type ZoomLimits } from './camera';

export class ViewControl {
  private view: View = { cx: 0, cy: 0, scale: 1 };
  private limits: ZoomLimits = { minScale: 1e-12, maxScale: 1e12 };
  private anim: { from: View; to: View; start: number; ms: number } | null = null;
  /** Bounds of the placed points. */
  bounds: Rect | null = null;
  width = 0;
  height = 0;
  dpr = 1;
  /** Fitted to the current point set once it had a size. */
  private fitted = false;
  /** Moved since the last takeChanged(): the host emits a `view` event. */
  private changed = false;
  /** The box over the canvas that fits keep the points clear of (the legend), if any. */
  private covered: Covered | null = null;
  /** The view is a fit nobody has moved since: it follows the box when the box changes. */
  private asFitted = false;

  get(): View {
    return this.view;
  }

  viewport(): { width: number; height: number } {
    return { width: Math.max(1, this.width), height: Math.max(1, this.height) };
  }

  hasSize(): boolean {
    return this.width > 0 && this.height > 0;
  }

  /** Returns false when `view` is unusable (zero or non-finite) and nothing changed. */
  set(view: View, animate = false): boolean {
    const to = { cx: view.cx, cy: view.cy, scale: clampScale(view.scale, this.limits) };
    if (!(to.scale > 0) || !Number.isFinite(to.cx) || !Number.isFinite(to.cy)) return false;
    this.asFitted = false;
    if (animate && !prefersReducedMotion()) {
      this.anim = { from: { ...this.view }, to, start: performance.now(), ms: CAMERA_ANIMATION_MS };
    } else {
      this.anim = null;
      this.view = to;
    }
    this.changed = true;
    return true;
  }

  stopAnimation(): void {
    this.anim = null;
  }

  panBy(dx: number, dy: number): boolean {
    this.anim = null;
    return this.set(panBy(this.view, dx, dy));
  }

  zoomBy(factor: number, screenX: number, screenY: number): boolean {
    this.anim = null;
    return this.set(zoomAt(this.view, this.viewport(), screenX, screenY, factor, this.limits));
  }

  fitAll(animate = false): boolean {
    if (!this.bounds || this.width === 0) return false;
    const moved = this.set(fitClearOf(this.bounds, this.viewport(), FIT_PADDING_PX, this.covered), animate);
    this.asFitted = moved;
    return moved;
  }

  /**
   * The box over the canvas (CSS pixels) that fits keep the points clear of, null for none. A
   * view that is still the last fit fits again: the legend appears or changes size after the
   * points are first fitted, and a point under it cannot be seen or picked.
   */
  setCovered(box: Covered | null): boolean {
    const same = (a: Covered | null, b: Covered | null) => a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height);
    if (same(box, this.covered)) return false;
    this.covered = box ? { ...box } : null;
    return this.asFitted ? this.fitAll(this.anim !== null) : false;
  }

  zoomToPoints(x: Float32Array, y: Float32Array, ids: ArrayLike<number>, animate = false): boolean {
    // Ids outside the layout read undefined coordinates, which boundsOf skips like NaN.
    const b = boundsOf(x, y, ids);
    if (!b || this.width === 0) return false;
    let view = fitClearOf(b, this.viewport(), FIT_PADDING_PX * 4, this.covered);
    // One point (or several on top of each other): centre it and zoom in a fixed step.
    if (b.maxX === b.minX && b.maxY === b.minY) view = { cx: b.minX, cy: b.minY, scale: Math.max(this.view.scale, this.fitScale() * 16) };
    return this.set(view, animate);
  }

  /** New positions: bounds and zoom limits follow; `newSet` also re-fits on the next chance. */
  setLayout(x: Float32Array, y: Float32Array, newSet: boolean): void {
    this.bounds = boundsOf(x, y);
    this.updateLimits();
    if (newSet) this.fitted = false;
  }

  setSize(width: number, height: number, dpr: number): boolean {
    if (width === this.width && height === this.height && dpr === this.dpr) return false;
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    this.updateLimits();
    return true;
  }

  /** Fits the first time both points and a size are there; true when it did. */
  fitIfReady(hasPoints: boolean): boolean {
    if (this.fitted || !hasPoints || !this.hasSize()) return false;
    this.fitted = true;
    return this.fitAll();
  }

  /** Advances an animated move to `now`: 'idle' without one, else whether it goes on. */
  step(now: number): 'idle' | 'moved' | 'moving' {
    if (!this.anim) return 'idle';
    const t = (now - this.anim.start) / this.anim.ms;
    this.view = lerpView(this.anim.from, this.anim.to, t);
    this.changed = true;
    if (t >= 1) this.anim = null;
    return this.anim ? 'moving' : 'moved';
  }

  takeChanged(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  fitScale(): number {
    return this.bounds ? fitRect(this.bounds, this.viewport(), FIT_PADDING_PX).scale : 1;
  }

  private updateLimits(): void {
    const s = this.fitScale();
    this.limits = { minScale: s * MIN_ZOOM_RELATIVE, maxScale: s * MAX_ZOOM_RELATIVE };
  }
}

function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
