// Level of detail for thumbnail sprites. The number drawn is bounded by `max` whatever the
// zoom (spriteBudget sizes it to the canvas): all points in view get a sprite when at most `max` are in view; up to max × overflow
// in view, the `max` nearest the centre of the view get one; beyond that, none (points only).
// Points whose skip flag is set (filtered out) never get a sprite.
import type { Rect } from './camera';
import { countInRect, forEachInRect, type SpatialGrid } from './spatialGrid';

export interface LodRule {
  max: number;
  overflowFactor: number;
}

/**
 * How many sprites the view can take: at most `maxSprites`, and no more than would cover the
 * canvas `coverage` times over, so a small window is not buried under overlapping thumbnails.
 */
export function spriteBudget(width: number, height: number, spriteSize: number, maxSprites: number, coverage: number): number {
  const fit = Math.floor((coverage * width * height) / (spriteSize * spriteSize));
  return Math.max(0, Math.min(maxSprites, fit));
}

/** Ids to draw as sprites for the visible rectangle `view`, nearest to its centre first. */
export function spritesInView(g: SpatialGrid, view: Rect, rule: LodRule, skip?: Uint8Array | null): Uint32Array {
  const limit = Math.floor(rule.max * rule.overflowFactor);
  if (rule.max <= 0) return new Uint32Array(0);
  const count = countInRect(g, view, limit, skip);
  if (count === 0 || count > limit) return new Uint32Array(0);
  const ids = new Uint32Array(count);
  const dist = new Float64Array(count);
  const cx = (view.minX + view.maxX) / 2;
  const cy = (view.minY + view.maxY) / 2;
  let k = 0;
  forEachInRect(
    g,
    view,
    (id, x, y) => {
      ids[k] = id;
      dist[k] = (x - cx) * (x - cx) + (y - cy) * (y - cy);
      k++;
    },
    skip,
  );
  // Runs every frame while the camera moves: find the cut-off distance with a native typed
  // sort, then order only the survivors with a comparator (ties break by id, so the choice
  // is stable from frame to frame).
  const take = Math.min(rule.max, count);
  let cut = Infinity;
  if (count > take) cut = dist.slice().sort()[take - 1];
  const keep: number[] = [];
  for (let i = 0; i < count; i++) if (dist[i] <= cut) keep.push(i);
  keep.sort((a, b) => dist[a] - dist[b] || ids[a] - ids[b]);
  const out = new Uint32Array(take);
  for (let i = 0; i < take; i++) out[i] = ids[keep[i]];
  return out;
}
