// Thumbnails on the map: which points in view get a sprite (level of detail from the spatial
// grid and the sprite budget), asking the host's provider for their atlases, and hit-testing
// the sprites drawn. The engine calls update() when the view or the layout changed.
import { MAX_ATLAS_BYTES, SPRITE_COVERAGE, SPRITE_OVERFLOW_FACTOR } from './constants';
import { dataToScreen, visibleRect, type View } from './camera';
import { spriteBudget, spritesInView } from './lod';
import { ThumbnailPass } from './passes/thumbnailPass';
import type { ColorUniforms, ViewUniforms } from './passes/uniforms';
import type { SpatialGrid } from './spatialGrid';
import { ThumbnailLoader } from './thumbnails';
import type { ThumbnailProvider } from './types';

export class SpriteControl {
  readonly pass: ThumbnailPass;
  private readonly loader: ThumbnailLoader;
  private provider: ThumbnailProvider | null = null;

  constructor(
    viewUniforms: ViewUniforms,
    colors: ColorUniforms,
    readonly spriteSize: number,
    private readonly maxSprites: number,
    maxTextureSize: number,
    /** An atlas arrived: sprites must re-pick and the frame redraw. */
    onLoaded: () => void,
  ) {
    this.pass = new ThumbnailPass(viewUniforms, colors, maxSprites, MAX_ATLAS_BYTES, maxTextureSize);
    this.loader = new ThumbnailLoader(this.pass, onLoaded);
  }

  get enabled(): boolean {
    return this.provider !== null;
  }

  setProvider(provider: ThumbnailProvider | null): void {
    this.provider = provider;
    if (!provider) this.pass.clear();
    this.loader.setProvider(provider);
  }

  clear(): void {
    this.pass.clear();
  }

  setPixelRatio(dpr: number): void {
    this.pass.setSpriteSize(this.spriteSize * dpr, 2 * dpr);
  }

  /** Picks the sprites for this view and asks for the thumbnails they lack; returns how many are drawn. */
  update(grid: SpatialGrid, view: View, viewport: { width: number; height: number }, positions: Float32Array, dim: Uint8Array | null, selected: Uint8Array | null, colorValues: Float32Array, highlight: Uint8Array | null): number {
    const rect = visibleRect(view, viewport);
    // Sprites partly in view count too: widen the rectangle by half a sprite.
    const pad = this.spriteSize / 2 / view.scale;
    const ids = spritesInView(
      grid,
      { minX: rect.minX - pad, minY: rect.minY - pad, maxX: rect.maxX + pad, maxY: rect.maxY + pad },
      {
        max: spriteBudget(viewport.width, viewport.height, this.spriteSize, this.maxSprites, SPRITE_COVERAGE),
        overflowFactor: SPRITE_OVERFLOW_FACTOR,
      },
      dim,
    );
    this.pass.show(ids, positions, selected, colorValues, highlight);
    this.loader.want(ids);
    return this.pass.drawn.length;
  }

  /** The point whose sprite is under the screen position (topmost first), or -1. */
  hit(view: View, viewport: { width: number; height: number }, ox: number, oy: number, screenX: number, screenY: number): number {
    const drawn = this.pass.drawn;
    const half = this.spriteSize / 2;
    for (let k = drawn.length - 1; k >= 0; k--) {
      const s = drawn[k];
      const [sx, sy] = dataToScreen(view, viewport, s.x + ox, s.y + oy);
      if (Math.abs(screenX - sx) <= half && Math.abs(screenY - sy) <= half) return s.id;
    }
    return -1;
  }

  isSprite(index: number): boolean {
    return this.pass.drawn.some((s) => s.id === index);
  }

  dispose(): void {
    this.loader.dispose();
    this.pass.dispose();
  }
}
