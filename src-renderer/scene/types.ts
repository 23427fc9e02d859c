// The public surface of the point-cloud engine. Everything per point is a typed-array column
// indexed by point id (row of the layout); ids cross this API as Uint32Array.
import type { ThumbnailAtlas } from '../../src-shared/model/atlas';
import type { Covered, View } from './camera';
import type { ColormapName, PaletteInfo } from './palette';
import type { PolygonProblem } from './polygon';
import type { SelectMode } from './selection';

export type { Covered, ThumbnailAtlas, View, PaletteInfo, ColormapName, PolygonProblem, SelectMode };

export interface PointColumns {
  /** Data coordinates; NaN marks a point without a position yet (not drawn, not pickable). */
  x: Float32Array;
  y: Float32Array;
}

/** What a drag on the canvas does. */
export type Tool = 'pan' | 'lasso' | 'box';

export interface CategoricalScheme {
  /** Colours as '#rrggbb'; category c gets palette[c % palette.length]. */
  palette?: readonly string[];
}

export interface ContinuousScheme {
  colormap?: ColormapName | readonly string[];
  /** Scores mapped to the ends of the colormap; defaults to the column's finite min and max. */
  domain?: [number, number];
}

export interface SelectInfo {
  mode: SelectMode;
  source: 'lasso' | 'box' | 'api';
  /** Points inside the polygon, before combining with the previous selection. */
  hits: number;
  /** Set when the polygon could not select anything (fewer than three vertices, no area...). */
  reason?: PolygonProblem;
}

export interface Modifiers {
  shiftKey: boolean;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
}

export interface PointCloudEvents {
  /** The selection changed through lasso, box or selectPolygon; ids sorted ascending. */
  select: (ids: Uint32Array, info: SelectInfo) => void;
  /** The point under the pointer changed; -1 when none. */
  hover: (index: number) => void;
  /** A click (press and release without dragging) on a point, or on nothing (-1). */
  click: (index: number, modifiers: Modifiers) => void;
  /** The camera moved. */
  view: (view: View) => void;
}

/**
 * Supplies thumbnails for points in view. Called with the ids that lack one (nearest the
 * centre first, at most maxSprites) once the view has settled; resolve with an atlas holding
 * any subset of them (a first chunk is fine: the engine asks again for the rest while answers
 * make progress), or null. The signal aborts when the view moves on or the engine is destroyed.
 */
export type ThumbnailProvider = (indices: Uint32Array, signal: AbortSignal) => Promise<ThumbnailAtlas | null>;

export interface PointCloudOptions {
  /** Point diameter in CSS pixels. */
  pointSize?: number;
  background?: string;
  /** Defaults to window.devicePixelRatio. */
  pixelRatio?: number;
  tool?: Tool;
  /** Mouse, wheel and keyboard handling (default true); off for a static view. */
  interactive?: boolean;
  /**
   * How lasso selection reaches a Web Worker for large layouts: a factory, or false to keep it
   * on the main thread. Defaults to the bundled lasso worker.
   */
  worker?: false | (() => Worker);
  /**
   * Thumbnail level of detail: at most this many sprites (default 2,000), and no more than
   * would cover the canvas three times over (SPRITE_COVERAGE).
   */
  maxSprites?: number;
  /** Sprite edge in CSS pixels. */
  spriteSize?: number;
  /** Request the WebGL drawing buffer be kept so screenshots and readPixels see it (tests). */
  preserveDrawingBuffer?: boolean;
}

export interface FrameStats {
  frames: number;
  /** JS time of the last frame, ms (the GPU may still be drawing). */
  lastFrameMs: number;
  points: number;
  sprites: number;
}

export interface PointCloud {
  /** Replaces the layout; keeps references to x and y (do not mutate them afterwards). */
  setPoints(points: PointColumns): void;
  /** New positions for the same points (progressive layouts); re-uploads positions only. */
  updatePositions(x: Float32Array, y: Float32Array): void;
  /** Categorical when values is a Uint16Array (0xFFFF: no label), continuous for Float32Array; null: one colour. */
  setColorColumn(values: Uint16Array, scheme?: CategoricalScheme): void;
  setColorColumn(values: Float32Array, scheme?: ContinuousScheme): void;
  setColorColumn(values: null): void;
  setColorColumn(values: Uint16Array | Float32Array | null, scheme?: CategoricalScheme | ContinuousScheme): void;
  /** What the colours mean, for a legend. */
  getPalette(): PaletteInfo;
  /** Non-zero entries are dimmed (filtered out): drawn faint, not pickable, not lasso-selectable. */
  setDimmed(mask: Uint8Array | null): void;
  /**
   * Points of interest: non-zero entries are drawn on top of every other dot, larger and with a
   * light ring, and the rest recede (smaller, faint); their sprites keep a thicker rim. null: none.
   * Reset by setPoints.
   */
  setHighlight(mask: Uint8Array | null): void;
  /** Replaces the selection drawn; does not emit `select`. Passing back the array `select` emitted costs nothing. */
  setSelection(ids: Uint32Array): void;
  getSelection(): Uint32Array;
  /** Highlights a point as if hovered (e.g. from a list); -1 clears. Does not emit `hover`. */
  setHovered(index: number): void;
  setPointSize(px: number): void;
  setTool(tool: Tool): void;
  /** Selects with a polygon in canvas CSS pixels [x0, y0, x1, y1, ...]; emits `select`. */
  selectPolygon(screenPolygon: ArrayLike<number>, mode?: SelectMode): Promise<{ ids: Uint32Array; info: SelectInfo }>;
  /** Topmost point (sprite or dot) at canvas CSS pixel (x, y), or -1. */
  pick(screenX: number, screenY: number): number;
  zoomToPoints(ids: ArrayLike<number>, options?: { animate?: boolean }): void;
  /**
   * A box over the canvas (CSS pixels from its top-left corner; the legend) that fitAll and
   * zoomToPoints keep the points clear of; null: none. A view still as last fitted fits again.
   */
  setCovered(box: Covered | null): void;
  fitAll(options?: { animate?: boolean }): void;
  /** Zooms by factor about a canvas point (default: the centre). */
  zoomBy(factor: number, screenX?: number, screenY?: number): void;
  getView(): View;
  setView(view: View, options?: { animate?: boolean }): void;
  setThumbnailProvider(provider: ThumbnailProvider | null): void;
  on<K extends keyof PointCloudEvents>(event: K, handler: PointCloudEvents[K]): () => void;
  /** Re-reads the canvas size; called automatically by a ResizeObserver. */
  resize(): void;
  /** Draws the next frame even if nothing changed. */
  redraw(): void;
  stats(): FrameStats;
  /** Disposes every GPU resource, the worker and all listeners. The canvas stays. */
  destroy(): void;
}
