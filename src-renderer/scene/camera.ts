// Camera math for a 2-D orthographic view, pure so it can be unit tested. Screen coordinates
// are CSS pixels from the canvas's top-left corner with y down; data y points up.

export interface View {
  /** Data coordinates at the centre of the canvas. */
  cx: number;
  cy: number;
  /** CSS pixels per data unit. */
  scale: number;
}

export interface Viewport {
  width: number;
  height: number;
}

export interface Rect {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export interface ZoomLimits {
  minScale: number;
  maxScale: number;
}

export function screenToData(v: View, vp: Viewport, sx: number, sy: number): [number, number] {
  return [v.cx + (sx - vp.width / 2) / v.scale, v.cy - (sy - vp.height / 2) / v.scale];
}

export function dataToScreen(v: View, vp: Viewport, x: number, y: number): [number, number] {
  return [(x - v.cx) * v.scale + vp.width / 2, (v.cy - y) * v.scale + vp.height / 2];
}

/** The data-space rectangle the canvas shows. */
export function visibleRect(v: View, vp: Viewport): Rect {
  const hw = vp.width / 2 / v.scale;
  const hh = vp.height / 2 / v.scale;
  return { minX: v.cx - hw, minY: v.cy - hh, maxX: v.cx + hw, maxY: v.cy + hh };
}

/** Moves the view so the content follows a drag of (dx, dy) CSS pixels. */
export function panBy(v: View, dx: number, dy: number): View {
  return { cx: v.cx - dx / v.scale, cy: v.cy + dy / v.scale, scale: v.scale };
}

export function clampScale(scale: number, limits: ZoomLimits): number {
  return Math.min(limits.maxScale, Math.max(limits.minScale, scale));
}

/** Zooms by `factor` keeping the data point under screen (sx, sy) where it is. */
export function zoomAt(v: View, vp: Viewport, sx: number, sy: number, factor: number, limits: ZoomLimits): View {
  const scale = clampScale(v.scale * factor, limits);
  const [x, y] = screenToData(v, vp, sx, sy);
  return {
    cx: x - (sx - vp.width / 2) / scale,
    cy: y + (sy - vp.height / 2) / scale,
    scale,
  };
}

/**
 * The view that shows `r` whole with `paddingPx` to spare on every side. An empty or
 * degenerate rectangle (one point) gets a unit-sized box around it.
 */
export function fitRect(r: Rect, vp: Viewport, paddingPx: number): View {
  return fitWithin(r, vp, { left: paddingPx, top: paddingPx, right: paddingPx, bottom: paddingPx });
}

/** A box over the canvas (CSS pixels from its top-left corner) that a fit keeps the points clear of: the map's legend. */
export interface Covered { x: number; y: number; width: number; height: number }

/**
 * fitRect, with the points kept clear of a box over the canvas: the margin of one side grows by
 * the strip of the canvas the box takes from that side (left, top, right or bottom), the side
 * that leaves the points the largest scale. A strip rather than the box's own corner, so that no
 * layout's shape puts a point under it; and the side where the layout has room to spare costs
 * nothing (a wide layout in a tall canvas gives up height it did not use).
 */
export function fitClearOf(r: Rect, vp: Viewport, paddingPx: number, covered: Covered | null): View {
  const plain = fitRect(r, vp, paddingPx);
  if (!covered || !(covered.width > 0) || !(covered.height > 0)) return plain;
  const { x, y, width, height } = covered;
  if (x >= vp.width || y >= vp.height || x + width <= 0 || y + height <= 0) return plain;
  const p = paddingPx;
  const strips = [
    { left: x + width + p, top: p, right: p, bottom: p },
    { left: p, top: y + height + p, right: p, bottom: p },
    { left: p, top: p, right: vp.width - x + p, bottom: p },
    { left: p, top: p, right: p, bottom: vp.height - y + p },
  ];
  let best: View | null = null;
  for (const m of strips) {
    const v = fitWithin(r, vp, m);
    if (!best || v.scale > best.scale) best = v;
  }
  return best!;
}

/** The view that shows `r` whole within the canvas less these margins (CSS pixels), centred in what is left. */
function fitWithin(r: Rect, vp: Viewport, m: { left: number; top: number; right: number; bottom: number }): View {
  let w = r.maxX - r.minX;
  let h = r.maxY - r.minY;
  if (!(w > 0) && !(h > 0)) {
    w = 1;
    h = 1;
  }
  const availW = Math.max(1, vp.width - m.left - m.right);
  const availH = Math.max(1, vp.height - m.top - m.bottom);
  const scale = Math.min(w > 0 ? availW / w : Infinity, h > 0 ? availH / h : Infinity);
  // The rectangle's centre goes to the centre of what the margins leave, (left − right) / 2 right
  // of the canvas's centre and (top − bottom) / 2 below it (data y grows upwards).
  return { cx: (r.minX + r.maxX) / 2 - (m.left - m.right) / 2 / scale, cy: (r.minY + r.maxY) / 2 + (m.top - m.bottom) / 2 / scale, scale };
}

/** Bounds of the finite points among `ids` (all points when ids is undefined); null if none. */
export function boundsOf(x: Float32Array, y: Float32Array, ids?: ArrayLike<number>): Rect | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  const n = ids ? ids.length : x.length;
  for (let k = 0; k < n; k++) {
    const i = ids ? ids[k] : k;
    const px = x[i];
    const py = y[i];
    // v - v is 0 only for finite v: unplaced points (NaN) and infinities are skipped.
    if (px - px !== 0 || py - py !== 0) continue;
    if (px < minX) minX = px;
    if (px > maxX) maxX = px;
    if (py < minY) minY = py;
    if (py > maxY) maxY = py;
  }
  return minX <= maxX && minY <= maxY ? { minX, minY, maxX, maxY } : null;
}

/** Eased interpolation between two views; zoom is interpolated in log space so it feels even. */
export function lerpView(a: View, b: View, t: number): View {
  if (t >= 1) return { ...b };
  if (t <= 0) return { ...a };
  const e = t <= 0 ? 0 : t >= 1 ? 1 : t * t * (3 - 2 * t);
  return {
    cx: a.cx + (b.cx - a.cx) * e,
    cy: a.cy + (b.cy - a.cy) * e,
    scale: Math.exp(Math.log(a.scale) + (Math.log(b.scale) - Math.log(a.scale)) * e),
  };
}

/** Wheel delta in pixels, whatever unit the event used. */
export function wheelPixels(deltaY: number, deltaMode: number, pageHeight: number): number {
  if (deltaMode === 1) return deltaY * 16;
  if (deltaMode === 2) return deltaY * pageHeight;
  return deltaY;
}
