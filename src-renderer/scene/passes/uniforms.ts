// Uniforms shared by the passes (three.js uploads a uniform object to every material that
// holds it), and the colour lookup every point-drawing pass uses. The colour textures are
// owned here: ColorUniforms.dispose() frees them.
import { DataTexture, NearestFilter, NormalBlending, RGBAFormat, Sphere, UnsignedByteType, Vector2, Vector3, type BufferGeometry, type Object3D } from 'three';
import { DEFAULT_POINT_COLOR, MISSING_COLOR } from '../constants';
import { colormapTexels, paletteTexels, parseHex } from '../palette';

export interface ViewUniforms {
  /** View centre relative to the layout origin, data units. */
  uCenter: { value: Vector2 };
  /** Data units to clip space: 2 * scale / viewport size. */
  uScale: { value: Vector2 };
  /** Device pixels to clip space: 2 / drawing-buffer size. */
  uPixelToClip: { value: Vector2 };
  /** Point diameter in device pixels. */
  uPointSize: { value: number };
  uPixelRatio: { value: number };
}

export function createViewUniforms(): ViewUniforms {
  return {
    uCenter: { value: new Vector2() },
    uScale: { value: new Vector2(1, 1) },
    uPixelToClip: { value: new Vector2(1, 1) },
    uPointSize: { value: 4 },
    uPixelRatio: { value: 1 },
  };
}

/**
 * Gives a geometry a fixed bounding sphere. three.js computes one for sorting, reading x, y, z
 * from `position`; ours are 2-D, which would make it NaN (and log an error every time).
 */
export function unbounded<G extends BufferGeometry>(g: G): G {
  g.boundingSphere = new Sphere(new Vector3(), Infinity);
  return g;
}

export function rgb(hex: string): Vector3 {
  const [r, g, b] = parseHex(hex);
  return new Vector3(r / 255, g / 255, b / 255);
}

function texture(texels: Uint8Array, width: number): DataTexture {
  const t = new DataTexture(texels, width, 1, RGBAFormat, UnsignedByteType);
  t.magFilter = NearestFilter;
  t.minFilter = NearestFilter;
  t.generateMipmaps = false;
  t.needsUpdate = true;
  return t;
}

export const COLOR_MODE = { uniform: 0, categorical: 1, continuous: 2 } as const;

export class ColorUniforms {
  readonly uColorMode = { value: 0 as number };
  readonly uUniformColor = { value: rgb(DEFAULT_POINT_COLOR) };
  readonly uMissing = { value: rgb(MISSING_COLOR) };
  readonly uPalette: { value: DataTexture };
  readonly uPaletteSize = { value: 1 };
  readonly uColormap: { value: DataTexture };
  private paletteColors: readonly string[] | null = null;
  private colormapStops: readonly string[] | null = null;

  constructor() {
    this.uPalette = { value: texture(paletteTexels([DEFAULT_POINT_COLOR]), 1) };
    this.uColormap = { value: texture(colormapTexels(['#000000', '#ffffff']), 256) };
  }

  setPalette(colors: readonly string[]): void {
    // A new colour column usually keeps its palette: re-creating the texture would re-upload it.
    if (sameColors(colors, this.paletteColors)) return;
    this.paletteColors = [...colors];
    this.uPalette.value.dispose();
    this.uPalette.value = texture(paletteTexels(colors), colors.length);
    this.uPaletteSize.value = colors.length;
  }

  setColormap(stops: readonly string[]): void {
    if (sameColors(stops, this.colormapStops)) return;
    this.colormapStops = [...stops];
    this.uColormap.value.dispose();
    this.uColormap.value = texture(colormapTexels(stops), 256);
  }

  dispose(): void {
    this.uPalette.value.dispose();
    this.uColormap.value.dispose();
  }
}

/** Defines `vec3 pointColor(float v)` for a colour-attribute value (see colorColumn.ts). */
function sameColors(a: readonly string[], b: readonly string[] | null): boolean {
  return b !== null && a.length === b.length && a.every((c, i) => c === b[i]);
}

export const COLOR_GLSL = /* glsl */ `
uniform int uColorMode;
uniform vec3 uUniformColor;
uniform vec3 uMissing;
uniform sampler2D uPalette;
uniform int uPaletteSize;
uniform sampler2D uColormap;
vec3 pointColor(float v) {
  if (uColorMode == 0) return uUniformColor;
  if (v < 0.0) return uMissing;
  if (uColorMode == 1) return texelFetch(uPalette, ivec2(int(v + 0.5) % uPaletteSize, 0), 0).rgb;
  return texelFetch(uColormap, ivec2(int(clamp(v, 0.0, 1.0) * 255.0 + 0.5), 0), 0).rgb;
}
`;

/** Round point with a one-pixel soft edge; `ring` > 0 paints an outline of that width (device px). */
export const DISC_FRAGMENT = /* glsl */ `
precision highp float;
in vec4 vColor;
in float vSize;
uniform vec3 uRingColor;
uniform float uRing;
out vec4 fragColor;
void main() {
  vec2 p = gl_PointCoord * 2.0 - 1.0;
  float r = length(p) * vSize * 0.5;
  float edge = vSize * 0.5;
  if (r > edge) discard;
  float a = vSize > 3.0 ? clamp(edge - r, 0.0, 1.0) : 1.0;
  vec3 c = (uRing > 0.0 && r > edge - uRing) ? uRingColor : vColor.rgb;
  fragColor = vec4(c, vColor.a * a);
}
`;

/** Material flags every pass shares: passes are layered by render order, never depth-tested. */
export const LAYERED = { transparent: true, depthTest: false, depthWrite: false, blending: NormalBlending } as const;

/** Puts a pass's object on its layer: always drawn (the data's bounds are not the frustum's). */
export function layer<T extends Object3D>(object: T, renderOrder: number, visible = true): T {
  object.frustumCulled = false;
  object.renderOrder = renderOrder;
  object.visible = visible;
  return object;
}
