// Pass 2: selected points again, on top and ringed. Reuses the points pass's buffers and draws
// them through an index buffer of the selected ids, so a selection change uploads 4 bytes per
// selected point and never touches positions.
import { GLSL3, Points, RawShaderMaterial } from 'three';
import { HIGHLIGHT_SIZE_FACTOR, SELECTION_RING_COLOR } from '../constants';
import type { PointsPass } from './pointsPass';
import { colorUniformMap } from './pointsPass';
import { PointSubset } from './pointSubset';
import { LAYERED, layer, COLOR_GLSL, DISC_FRAGMENT, rgb, type ColorUniforms, type ViewUniforms } from './uniforms';

const VERTEX = /* glsl */ `
precision highp float;
precision highp int;
in vec2 position;
in float colorValue;
in float flags;
uniform vec2 uCenter;
uniform vec2 uScale;
uniform float uPointSize;
uniform float uRing;
uniform float uGrow;
${COLOR_GLSL}
out vec4 vColor;
out float vSize;
void main() {
  gl_Position = vec4((position - uCenter) * uScale, 0.0, 1.0);
  vColor = vec4(pointColor(colorValue), 1.0);
  // With a highlight on, a selected point of interest is ringed at its highlighted size.
  bool receded = mod(floor(flags / 2.0), 2.0) >= 1.0;
  vSize = uPointSize * (receded ? 1.0 : uGrow) + 2.0 * uRing;
  gl_PointSize = vSize;
}
`;

export class SelectionPass {
  readonly object: Points;
  private readonly subset: PointSubset;
  private readonly material: RawShaderMaterial;

  constructor(
    points: PointsPass,
    view: ViewUniforms,
    color: ColorUniforms,
  ) {
    this.subset = new PointSubset(points);
    this.material = new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: VERTEX,
      fragmentShader: DISC_FRAGMENT,
      uniforms: {
        ...view,
        ...colorUniformMap(color),
        uRing: { value: 0 },
        uGrow: { value: 1 },
        uRingColor: { value: rgb(SELECTION_RING_COLOR) },
      },
      ...LAYERED,
    });
    this.object = layer(new Points(this.subset.geometry, this.material), 1, false);
  }

  /** ids must be below n; sorted or not, each drawn once per occurrence. */
  setSelection(ids: Uint32Array): void {
    this.object.visible = this.subset.set(ids);
  }

  /** Whether a highlight is on: its points of interest are drawn larger, and so ringed larger. */
  setHighlightOn(on: boolean): void {
    this.material.uniforms.uGrow.value = on ? HIGHLIGHT_SIZE_FACTOR : 1;
  }

  /** Ring width in device pixels; the selected dot grows by it on each side. */
  setRing(devicePx: number): void {
    this.material.uniforms.uRing.value = devicePx;
  }

  dispose(): void {
    // The shared attributes are the points pass's; freeing them twice is harmless in three.js.
    this.subset.dispose();
    this.material.dispose();
  }
}
