// The hovered point: which one, and its ring (a disc around a dot, a square around a sprite),
// kept in step when the point moves, is recoloured or turns into a sprite.
import { HIGHLIGHT_SIZE_FACTOR } from './constants';
import { HoverPass } from './passes/hoverPass';
import type { ColorUniforms, ViewUniforms } from './passes/uniforms';
import type { PointsPass } from './passes/pointsPass';

export interface HoverHost {
  points(): PointsPass | null;
  isSprite(index: number): boolean;
  spriteSize(): number;
  pointSize(): number;
  /** The point is in the highlight (drawn larger). */
  highlighted(index: number): boolean;
  dpr(): number;
  /** The hovered point changed and the caller asked to tell the handlers. */
  emit(index: number): void;
  invalidate(): void;
}

export class HoverControl {
  readonly pass: HoverPass;
  index = -1;

  constructor(view: ViewUniforms, colors: ColorUniforms, private readonly host: HoverHost) {
    this.pass = new HoverPass(view, colors);
  }

  /** refresh: redraw the ring even if the index is unchanged (its point moved or recoloured). */
  set(index: number, emit: boolean, refresh = false): void {
    const changed = index !== this.index;
    // Pointer moves over the same point must not redraw a million points.
    if (!changed && !refresh) return;
    this.index = index;
    const points = this.host.points();
    if (index < 0 || !points) {
      this.pass.hide();
    } else {
      const pos = points.position.array as Float32Array;
      const sprite = this.host.isSprite(index);
      const dpr = this.host.dpr();
      const dot = this.host.highlighted(index) ? this.host.pointSize() * HIGHLIGHT_SIZE_FACTOR + 2 : this.host.pointSize();
      const size = sprite ? this.host.spriteSize() * dpr + 2 * dpr : (dot + 6) * dpr;
      this.pass.show(pos[2 * index], pos[2 * index + 1], points.colorArray[index], size, 2 * dpr, sprite);
    }
    if (changed && emit) this.host.emit(index);
    this.host.invalidate();
  }

  /** Redraws the ring where its point now is, if one is hovered. */
  refresh(): void {
    if (this.index >= 0) this.set(this.index, false, true);
  }

  dispose(): void {
    this.pass.dispose();
  }
}
