// Alpha composited on the one backdrop (src-shared/model/backdrop.ts), the same way wherever
// pixels are read. Opaque images pass through unchanged.
import type { Sharp } from 'sharp';
import { ALPHA_BACKDROP } from '../../../src-shared/model/backdrop';

export function onBackdrop(image: Sharp): Sharp {
  return image.flatten({ background: ALPHA_BACKDROP });
}
