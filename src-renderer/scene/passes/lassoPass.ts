// Pass 5: the lasso or box outline being drawn, in screen space. Owns a small vertex buffer
// that grows by replacement (its geometry shares nothing, so disposing it is safe).
import { BufferAttribute, BufferGeometry, GLSL3, LineLoop, RawShaderMaterial, Vector2 } from 'three';
import { LASSO_COLOR } from '../constants';
import { LAYERED, layer, rgb, unbounded } from './uniforms';

const VERTEX = /* glsl */ `
precision highp float;
in vec2 position;
uniform vec2 uViewportCss;
void main() {
  gl_Position = vec4(position.x / uViewportCss.x * 2.0 - 1.0, 1.0 - position.y / uViewportCss.y * 2.0, 0.0, 1.0);
}
`;

const FRAGMENT = /* glsl */ `
precision highp float;
uniform vec3 uColor;
out vec4 fragColor;
void main() { fragColor = vec4(uColor, 1.0); }
`;

export class LassoPass {
  readonly object: LineLoop;
  private geometry = unbounded(new BufferGeometry());
  private readonly material: RawShaderMaterial;
  private readonly viewport = { value: new Vector2(1, 1) };

  constructor() {
    this.material = new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: { uViewportCss: this.viewport, uColor: { value: rgb(LASSO_COLOR) } },
      ...LAYERED,
    });
    this.object = layer(new LineLoop(this.geometry, this.material), 5, false);
  }

  setViewport(width: number, height: number): void {
    this.viewport.value.set(width, height);
  }

  /** Outline through canvas CSS pixels [x0, y0, x1, y1, ...]; fewer than two points hides it. */
  setPath(path: ArrayLike<number>): void {
    const count = path.length >> 1;
    this.object.visible = count >= 2;
    if (count < 2) return;
    let attr = this.geometry.getAttribute('position') as BufferAttribute | undefined;
    if (!attr || attr.count < count) {
      this.geometry.dispose();
      this.geometry = unbounded(new BufferGeometry());
      attr = new BufferAttribute(new Float32Array(Math.max(64, count * 2) * 2), 2);
      this.geometry.setAttribute('position', attr);
      this.object.geometry = this.geometry;
    }
    const a = attr.array as Float32Array;
    for (let i = 0; i < count * 2; i++) a[i] = path[i];
    attr.clearUpdateRanges();
    attr.addUpdateRange(0, count * 2);
    attr.needsUpdate = true;
    this.geometry.setDrawRange(0, count);
  }

  dispose(): void {
    this.geometry.dispose();
    this.material.dispose();
  }
}
