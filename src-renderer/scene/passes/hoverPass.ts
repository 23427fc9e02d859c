// Pass 4: the hovered point, ringed, above the dots and sprites. One vertex of its own.
import { BufferAttribute, BufferGeometry, GLSL3, Points, RawShaderMaterial } from 'three';
import { HOVER_RING_COLOR } from '../constants';
import { colorUniformMap } from './pointsPass';
import { LAYERED, layer, COLOR_GLSL, rgb, unbounded, type ColorUniforms, type ViewUniforms } from './uniforms';

const VERTEX = /* glsl */ `
precision highp float;
precision highp int;
in vec2 position;
in float colorValue;
uniform vec2 uCenter;
uniform vec2 uScale;
uniform float uHoverSize;
uniform float uFill;
${COLOR_GLSL}
out vec4 vColor;
out float vSize;
void main() {
  gl_Position = vec4((position - uCenter) * uScale, 0.0, 1.0);
  vColor = vec4(pointColor(colorValue), uFill);
  vSize = uHoverSize;
  gl_PointSize = vSize;
}
`;

/** Square outline for a hovered sprite, a ringed disc for a hovered dot. */
const FRAGMENT = /* glsl */ `
precision highp float;
in vec4 vColor;
in float vSize;
uniform vec3 uRingColor;
uniform float uRing;
uniform float uSquare;
out vec4 fragColor;
void main() {
  vec2 p = abs(gl_PointCoord * 2.0 - 1.0) * vSize * 0.5;
  float edge = vSize * 0.5;
  float r = uSquare > 0.5 ? max(p.x, p.y) : length(p);
  if (r > edge) discard;
  if (r > edge - uRing) fragColor = vec4(uRingColor, 1.0);
  else if (vColor.a > 0.0) fragColor = vColor;
  else discard;
}
`;

export class HoverPass {
  readonly object: Points;
  private readonly geometry = unbounded(new BufferGeometry());
  private readonly material: RawShaderMaterial;
  private readonly position = new BufferAttribute(new Float32Array(2), 2);
  private readonly colorValue = new BufferAttribute(new Float32Array(1), 1);

  constructor(view: ViewUniforms, color: ColorUniforms) {
    this.geometry.setAttribute('position', this.position);
    this.geometry.setAttribute('colorValue', this.colorValue);
    this.material = new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: {
        ...view,
        ...colorUniformMap(color),
        uHoverSize: { value: 10 },
        uFill: { value: 1 },
        uSquare: { value: 0 },
        uRing: { value: 2 },
        uRingColor: { value: rgb(HOVER_RING_COLOR) },
      },
      ...LAYERED,
    });
    this.object = layer(new Points(this.geometry, this.material), 4, false);
  }

  /** Shows the ring at (x, y) relative to the origin; sizes in device pixels. */
  show(x: number, y: number, colorValue: number, size: number, ring: number, sprite: boolean): void {
    const p = this.position.array as Float32Array;
    p[0] = x;
    p[1] = y;
    this.position.needsUpdate = true;
    (this.colorValue.array as Float32Array)[0] = colorValue;
    this.colorValue.needsUpdate = true;
    const u = this.material.uniforms;
    u.uHoverSize.value = size;
    u.uRing.value = ring;
    u.uSquare.value = sprite ? 1 : 0;
    u.uFill.value = sprite ? 0 : 1;
    this.object.visible = true;
  }

  hide(): void {
    this.object.visible = false;
  }

  dispose(): void {
    this.geometry.dispose();
    this.material.dispose();
  }
}
