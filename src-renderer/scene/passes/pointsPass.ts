// Pass 1: every point as a round dot. Owns the per-point GPU buffers (positions, colour value,
// flags), which the selection pass draws again through its own index buffer.
import { BufferAttribute, BufferGeometry, DynamicDrawUsage, GLSL3, Points, RawShaderMaterial, Vector3 } from 'three';
import { DIMMED_ALPHA, MISSING_COLOR, RECEDED_ALPHA, RECEDED_SIZE_FACTOR } from '../constants';
import { LAYERED, layer, COLOR_GLSL, DISC_FRAGMENT, rgb, unbounded, type ColorUniforms, type ViewUniforms } from './uniforms';

/** Where an unplaced (NaN) point is parked: far outside any view, so it is clipped. */
const OFFSCREEN = 1e20;
export const FLAG_DIMMED = 1;
/** A highlight is set and this point is not in it: smaller and faint (the highlight pass draws the others). */
export const FLAG_RECEDED = 2;

const VERTEX = /* glsl */ `
precision highp float;
precision highp int;
in vec2 position;
in float colorValue;
in float flags;
uniform vec2 uCenter;
uniform vec2 uScale;
uniform float uPointSize;
uniform float uDimAlpha;
uniform vec3 uDimColor;
uniform float uRecedeAlpha;
uniform float uRecedeSize;
${COLOR_GLSL}
out vec4 vColor;
out float vSize;
void main() {
  gl_Position = vec4((position - uCenter) * uScale, 0.0, 1.0);
  vec3 c = pointColor(colorValue);
  bool dimmed = mod(flags, 2.0) >= 1.0;
  bool receded = mod(floor(flags / 2.0), 2.0) >= 1.0;
  vColor = dimmed ? vec4(mix(c, uDimColor, 0.5), uDimAlpha) : receded ? vec4(mix(c, uDimColor, 0.3), uRecedeAlpha) : vec4(c, 1.0);
  vSize = receded ? max(1.0, uPointSize * uRecedeSize) : uPointSize;
  gl_PointSize = vSize;
}
`;

export class PointsPass {
  readonly geometry = unbounded(new BufferGeometry());
  readonly object: Points;
  readonly position: BufferAttribute;
  readonly colorValue: BufferAttribute;
  readonly flags: BufferAttribute;
  private readonly material: RawShaderMaterial;

  constructor(
    readonly n: number,
    view: ViewUniforms,
    color: ColorUniforms,
  ) {
    this.position = new BufferAttribute(new Float32Array(2 * n), 2);
    this.colorValue = new BufferAttribute(new Float32Array(n), 1);
    this.flags = new BufferAttribute(new Uint8Array(n), 1);
    this.geometry.setAttribute('position', this.position);
    this.geometry.setAttribute('colorValue', this.colorValue);
    this.geometry.setAttribute('flags', this.flags);
    this.material = new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: VERTEX,
      fragmentShader: DISC_FRAGMENT,
      uniforms: {
        ...view,
        ...colorUniformMap(color),
        uDimAlpha: { value: DIMMED_ALPHA },
        uDimColor: { value: rgb(MISSING_COLOR) },
        uRecedeAlpha: { value: RECEDED_ALPHA },
        uRecedeSize: { value: RECEDED_SIZE_FACTOR },
        uRing: { value: 0 },
        uRingColor: { value: new Vector3() },
      },
      ...LAYERED,
    });
    this.object = layer(new Points(this.geometry, this.material), 0);
  }

  /** Writes positions relative to the origin (float32 keeps precision near the data). */
  writePositions(x: Float32Array, y: Float32Array, ox: number, oy: number, progressive: boolean): void {
    const a = this.position.array as Float32Array;
    for (let i = 0, n = this.n; i < n; i++) {
      const px = x[i];
      const py = y[i];
      if (px - px !== 0 || py - py !== 0) {
        a[2 * i] = OFFSCREEN;
        a[2 * i + 1] = OFFSCREEN;
      } else {
        a[2 * i] = px - ox;
        a[2 * i + 1] = py - oy;
      }
    }
    if (progressive) this.position.setUsage(DynamicDrawUsage);
    this.position.needsUpdate = true;
  }

  /** The colour values array; write into it, then call colorsChanged(). */
  get colorArray(): Float32Array {
    return this.colorValue.array as Float32Array;
  }

  colorsChanged(): void {
    this.colorValue.needsUpdate = true;
  }

  /** dim: non-zero entries are filtered out; highlight: when set, its zero entries recede. */
  setFlags(dim: Uint8Array | null, highlight: Uint8Array | null): void {
    const f = this.flags.array as Uint8Array;
    if (!dim && !highlight) f.fill(0);
    else for (let i = 0; i < this.n; i++) f[i] = (dim && dim[i] ? FLAG_DIMMED : 0) | (highlight && !highlight[i] ? FLAG_RECEDED : 0);
    this.flags.needsUpdate = true;
  }

  dispose(): void {
    this.geometry.dispose();
    this.material.dispose();
  }
}

/** The colour uniforms as a material uniform map (shared objects, so updates reach every pass). */
export function colorUniformMap(c: ColorUniforms): Record<string, { value: unknown }> {
  return {
    uColorMode: c.uColorMode,
    uUniformColor: c.uUniformColor,
    uMissing: c.uMissing,
    uPalette: c.uPalette,
    uPaletteSize: c.uPaletteSize,
    uColormap: c.uColormap,
  };
}
