// The point-cloud engine's public entry. See types.ts for the API and README.md for hosting.
export { createPointCloud } from './pointCloud';
export type * from './types';
export { DEFAULT_PALETTE, COLORMAPS, categoryColor } from './palette';
export { modeFromModifiers } from './selection';
