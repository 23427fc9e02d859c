// Pass 1b: the points of interest of a highlight again, above every other dot (the points pass
// draws the rest receded): larger, full colour, a light ring. Like the selection pass it reuses
// the points pass's buffers through an index buffer, so a highlight change never moves positions.
import { GLSL3, Points, RawShaderMaterial } from 'three';
import { HIGHLIGHT_RING_COLOR, HIGHLIGHT_SIZE_FACTOR } from '../constants';
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
uniform float uGrow;
uniform float uRing;
${COLOR_GLSL}
out vec4 vColor;
out float vSize;
void main() {
  // A point the filter dims stays out of the highlight: it is drawn faint by the points pass.
  bool dimmed = mod(flags, 2.0) >= 1.0;
  gl_Position = dimmed ? vec4(2.0, 2.0, 0.0, 1.0) : vec4((position - uCenter) * uScale, 0.0, 1.0);
  vColor = vec4(pointColor(colorValue), 1.0);
  vSize = dimmed ? 0.0 : uPointSize * uGrow + 2.0 * uRing;
  gl_PointSize = vSize;
}
`;

export class HighlightPass {
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
        uGrow: { value: HIGHLIGHT_SIZE_FACTOR },
        uRing: { value: 1 },
        uRingColor: { value: rgb(HIGHLIGHT_RING_COLOR) },
      },
      ...LAYERED,
    });
    // Above the points, below the selection ring, the sprites and the hover ring.
    this.object = layer(new Points(this.subset.geometry, this.material), 0.5, false);
  }

  /** ids below n, drawn in the order given (later ones on top). */
  setIds(ids: Uint32Array): void {
    this.object.visible = this.subset.set(ids);
  }

  /** Ring width in device pixels. */
  setRing(devicePx: number): void {
    this.material.uniforms.uRing.value = devicePx;
  }

  dispose(): void {
    this.subset.dispose();
    this.material.dispose();
  }
}
