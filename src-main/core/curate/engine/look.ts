// A sample's look: its near-duplicate signature (signature.ts) and its appearance tile
// (appearance-tile.ts), both from one image's pixels. Made where the pixels are at hand: an
// import's decode worker, or a scoring that reads a stored thumbnail (core/curate/appearance-store.ts).
import { appearanceSignature } from './signature';
import { appearanceTile } from './appearance-tile';

export interface Look {
  signature: Uint8Array;
  tile: Uint8Array;
}

/** The look of row-major 8-bit pixels (1 grey, 3 RGB or 4 RGBA channels). */
export function lookOfPixels(data: Uint8Array, width: number, height: number, channels: number): Look {
  return { signature: appearanceSignature(data, width, height, channels), tile: appearanceTile(data, width, height, channels) };
}
