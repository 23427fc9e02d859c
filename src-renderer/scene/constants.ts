// Every tunable of the point-cloud engine, named in one place.

/** Point radius in CSS pixels before the host changes it. */
export const DEFAULT_POINT_SIZE = 4;
export const MIN_POINT_SIZE = 1;
export const MAX_POINT_SIZE = 64;

/** Colour of every point while no colour column is set. */
export const DEFAULT_POINT_COLOR = '#4e79a7';
/** Alpha multiplier of points that the current filter dims. */
export const DIMMED_ALPHA = 0.12;
/** RGB used for points without a category (0xFFFF) or with a NaN score. */
export const MISSING_COLOR = '#9aa0a6';
export const SELECTION_RING_COLOR = '#111111';
/** With a highlight set: points of interest grow by this factor and get a light ring... */
export const HIGHLIGHT_SIZE_FACTOR = 2;
export const HIGHLIGHT_RING_COLOR = '#ffffff';
/** ...and the other points shrink by this factor and fade to this alpha, so the few stand out of the many. */
export const RECEDED_SIZE_FACTOR = 0.75;
export const RECEDED_ALPHA = 0.5;
export const HOVER_RING_COLOR = '#ff6a00';
export const LASSO_COLOR = '#1a73e8';
export const BACKGROUND_COLOR = '#ffffff';

/** Category value meaning "no label". */
export const NO_CATEGORY = 0xffff;

/** Margin around the data when fitting, in CSS pixels. */
// Room around the data when fitting, so points at the edge and their tooltips stay clear of the border.
export const FIT_PADDING_PX = 48;
/** Zoom limits relative to the scale that fits all points. */
export const MIN_ZOOM_RELATIVE = 0.25;
export const MAX_ZOOM_RELATIVE = 1e5;
/** exp(-deltaY * k): wheel notches and trackpad pinch (ctrl+wheel) zoom at different rates. */
export const WHEEL_ZOOM_RATE = 0.0015;
export const PINCH_ZOOM_RATE = 0.01;
export const KEY_ZOOM_FACTOR = 1.25;
/** Arrow keys pan by this fraction of the viewport. */
export const KEY_PAN_FRACTION = 0.1;
export const CAMERA_ANIMATION_MS = 250;

/** A press that moves less than this is a click, not a drag. */
export const CLICK_SLOP_PX = 4;
/** Hover and click pick the nearest point within this many CSS pixels of the pointer. */
export const PICK_RADIUS_PX = 8;
/** Lasso vertices closer than this to the previous one are dropped. */
export const LASSO_MIN_STEP_PX = 2;

/** Mean points per cell of the uniform grid. */
export const GRID_POINTS_PER_CELL = 8;
/** Above this many points, lasso selection runs in the worker. */
export const WORKER_MIN_POINTS = 50_000;
/** A worker call that takes longer than this is abandoned and redone on the main thread. */
export const WORKER_TIMEOUT_MS = 10_000;
/**
 * How long the page waits for the lasso worker's copy of the picking grid before building its own
 * (a pick or hover before then builds it at once; only thumbnails wait for it).
 */
export const WORKER_GRID_WAIT_MS = 10_000;

/** Level of detail for thumbnails: at most this many sprites are drawn. */
export const MAX_SPRITES = 2_000;
/**
 * Sprites appear once at most MAX_SPRITES × this many points are in view; between MAX_SPRITES
 * and that bound only the MAX_SPRITES points nearest the centre of the view get one.
 */
export const SPRITE_OVERFLOW_FACTOR = 4;
/** Sprites may cover the canvas this many times over; fewer are drawn on a small canvas. */
export const SPRITE_COVERAGE = 3;
/** Sprite edge in CSS pixels. */
export const SPRITE_SIZE_PX = 56;
/** Wait this long after the view stops moving before asking the provider for thumbnails. */
export const THUMBNAIL_REQUEST_DELAY_MS = 120;
/** Atlas texture bytes kept on the GPU; least recently drawn atlases are disposed beyond this. */
export const MAX_ATLAS_BYTES = 128 * 2 ** 20;
