// A subset of the points pass's points, drawn again by another pass (the selection, the
// highlight): it shares the points pass's buffers and draws them through an index buffer of the
// chosen ids, so a change uploads 4 bytes per chosen point and never touches positions.
import { BufferAttribute, BufferGeometry } from 'three';
import type { PointsPass } from './pointsPass';
import { unbounded } from './uniforms';

export class PointSubset {
  readonly geometry = unbounded(new BufferGeometry());
  private index: BufferAttribute | null = null;

  constructor(private readonly points: PointsPass) {
    this.geometry.setAttribute('position', points.position);
    this.geometry.setAttribute('colorValue', points.colorValue);
    this.geometry.setAttribute('flags', points.flags);
  }

  /** ids below n, drawn in the order given (later ones on top); false when there is none to draw. */
  set(ids: Uint32Array): boolean {
    if (ids.length === 0) return false;
    if (!this.index) {
      // Sized for every point once, so later subsets update it in place: three.js cannot resize
      // a GPU buffer, and freeing one means disposing the geometry that shares buffers.
      this.index = new BufferAttribute(new Uint32Array(this.points.n), 1);
      this.geometry.setIndex(this.index);
    }
    (this.index.array as Uint32Array).set(ids);
    this.index.clearUpdateRanges();
    this.index.addUpdateRange(0, ids.length);
    this.index.needsUpdate = true;
    this.geometry.setDrawRange(0, ids.length);
    return true;
  }

  dispose(): void {
    this.geometry.dispose();
  }
}
