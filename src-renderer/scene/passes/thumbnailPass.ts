// Pass 3: thumbnails as screen-sized sprites for the points the level-of-detail rule picked.
// Each keeps a rim in its point's colour, so the colouring (labels, scores, a highlight) still
// reads when zoomed in far enough that images replace the dots.
// Owns one texture and one instanced quad mesh per cached atlas; the least recently drawn
// atlases are disposed beyond a byte budget (never the one just added).
import {
  BufferAttribute,
  DataTexture,
  GLSL3,
  Group,
  InstancedBufferAttribute,
  InstancedBufferGeometry,
  LinearFilter,
  Mesh,
  RawShaderMaterial,
  RGBAFormat,
  UnsignedByteType,
  Vector2,
} from 'three';
import { atlasProblem, type ThumbnailAtlas } from '../../../src-shared/model/atlas';
import { RECEDED_ALPHA, SELECTION_RING_COLOR } from '../constants';
import { colorUniformMap } from './pointsPass';
import { COLOR_GLSL, LAYERED, layer, rgb, unbounded, type ColorUniforms, type ViewUniforms } from './uniforms';

/** Per-sprite state bits (iState). */
const SELECTED = 1;
const HIGHLIGHTED = 2;
const RECEDED = 4;

const VERTEX = /* glsl */ `
precision highp float;
precision highp int;
in vec2 position;
in vec2 iCenter;
in vec2 iCell;
in float iColor;
in float iState;
uniform vec2 uCenter;
uniform vec2 uScale;
uniform vec2 uPixelToClip;
uniform float uSpriteSize;
uniform vec2 uAtlasSize;
uniform float uCell;
${COLOR_GLSL}
out vec2 vUv;
out vec2 vLocal;
out float vState;
out vec3 vRim;
void main() {
  vec2 c = (iCenter - uCenter) * uScale;
  gl_Position = vec4(c + position * uSpriteSize * uPixelToClip, 0.0, 1.0);
  // Half a texel inset keeps linear filtering from bleeding in the neighbouring cell.
  vec2 t = vec2(position.x + 0.5, 0.5 - position.y);
  vUv = (iCell + 0.5 + t * (uCell - 1.0)) / uAtlasSize;
  vLocal = (position + 0.5) * uSpriteSize;
  vState = iState;
  vRim = pointColor(iColor);
}
`;

const FRAGMENT = /* glsl */ `
precision highp float;
in vec2 vUv;
in vec2 vLocal;
in float vState;
in vec3 vRim;
uniform sampler2D uAtlas;
uniform float uSpriteSize;
uniform float uBorder;
uniform float uRecedeAlpha;
uniform vec3 uSelectedColor;
out vec4 fragColor;
void main() {
  float d = min(min(vLocal.x, vLocal.y), min(uSpriteSize - vLocal.x, uSpriteSize - vLocal.y));
  bool selected = mod(vState, 2.0) >= 1.0;
  bool highlighted = mod(floor(vState / 2.0), 2.0) >= 1.0;
  bool receded = mod(floor(vState / 4.0), 2.0) >= 1.0;
  // Outside in: the selection border, then the colour rim (twice as wide on a point of interest).
  float outer = selected ? uBorder : 0.0;
  float rim = highlighted ? 2.0 * uBorder : uBorder;
  float a = receded ? uRecedeAlpha : 1.0;
  if (d < outer) { fragColor = vec4(uSelectedColor, 1.0); return; }
  if (d < outer + rim) { fragColor = vec4(vRim, a); return; }
  vec4 t = texture(uAtlas, vUv);
  fragColor = vec4(t.rgb, t.a * a);
}
`;

interface Slot {
  atlas: ThumbnailAtlas;
  texture: DataTexture;
  geometry: InstancedBufferGeometry;
  material: RawShaderMaterial;
  mesh: Mesh;
  centers: InstancedBufferAttribute;
  cells: InstancedBufferAttribute;
  colors: InstancedBufferAttribute;
  states: InstancedBufferAttribute;
  count: number;
  lastUsed: number;
}

export interface DrawnSprite {
  id: number;
  /** Relative to the layout origin. */
  x: number;
  y: number;
}

const QUAD = new Float32Array([-0.5, -0.5, 0.5, -0.5, 0.5, 0.5, -0.5, -0.5, 0.5, 0.5, -0.5, 0.5]);

export class ThumbnailPass {
  readonly object = new Group();
  private readonly slots = new Map<string, Slot>();
  /** Point id -> the atlas and cell that hold its thumbnail. */
  private readonly where = new Map<number, { slot: Slot; u: number; v: number }>();
  private readonly spriteSize = { value: 56 };
  private readonly border = { value: 2 };
  private clock = 0;
  /** Sprites drawn, roughly bottom to top (atlases draw one after another). */
  drawn: DrawnSprite[] = [];

  constructor(
    private readonly view: ViewUniforms,
    private readonly colorUniforms: ColorUniforms,
    private readonly maxSprites: number,
    private readonly maxAtlasBytes: number,
    private readonly maxTextureSize: number,
  ) {
    // A group's renderOrder sorts before its children's, so it stays 0 like the other passes.
    this.object.renderOrder = 0;
  }

  setSpriteSize(devicePx: number, borderPx: number): void {
    this.spriteSize.value = devicePx;
    this.border.value = borderPx;
  }

  has(id: number): boolean {
    return this.where.has(id);
  }

  get atlasCount(): number {
    return this.slots.size;
  }

  /** Caches an atlas; returns why it was refused, or null. */
  add(atlas: ThumbnailAtlas): string | null {
    const problem = atlasProblem(atlas);
    if (problem) return problem;
    if (atlas.width > this.maxTextureSize || atlas.height > this.maxTextureSize) {
      return `atlas ${atlas.width}x${atlas.height} exceeds the GPU's ${this.maxTextureSize} texture limit`;
    }
    this.remove(atlas.atlasId);
    const texture = new DataTexture(atlas.rgba, atlas.width, atlas.height, RGBAFormat, UnsignedByteType);
    texture.magFilter = LinearFilter;
    texture.minFilter = LinearFilter;
    texture.generateMipmaps = false;
    texture.needsUpdate = true;
    const cap = Math.min(atlas.entries.index.length, this.maxSprites);
    const geometry = unbounded(new InstancedBufferGeometry());
    geometry.setAttribute('position', new BufferAttribute(QUAD.slice(), 2));
    const centers = new InstancedBufferAttribute(new Float32Array(2 * cap), 2);
    const cells = new InstancedBufferAttribute(new Float32Array(2 * cap), 2);
    const colors = new InstancedBufferAttribute(new Float32Array(cap), 1);
    const states = new InstancedBufferAttribute(new Float32Array(cap), 1);
    geometry.setAttribute('iCenter', centers);
    geometry.setAttribute('iCell', cells);
    geometry.setAttribute('iColor', colors);
    geometry.setAttribute('iState', states);
    geometry.instanceCount = 0;
    const material = new RawShaderMaterial({
      glslVersion: GLSL3,
      vertexShader: VERTEX,
      fragmentShader: FRAGMENT,
      uniforms: {
        uCenter: this.view.uCenter,
        uScale: this.view.uScale,
        uPixelToClip: this.view.uPixelToClip,
        uSpriteSize: this.spriteSize,
        uBorder: this.border,
        uAtlas: { value: texture },
        uAtlasSize: { value: new Vector2(atlas.width, atlas.height) },
        uCell: { value: atlas.cell },
        uSelectedColor: { value: rgb(SELECTION_RING_COLOR) },
        uRecedeAlpha: { value: RECEDED_ALPHA },
        ...colorUniformMap(this.colorUniforms),
      },
      ...LAYERED,
    });
    const mesh = layer(new Mesh(geometry, material), 3, false);
    const slot: Slot = { atlas, texture, geometry, material, mesh, centers, cells, colors, states, count: 0, lastUsed: ++this.clock };
    this.slots.set(atlas.atlasId, slot);
    this.object.add(mesh);
    const { index, u, v } = atlas.entries;
    for (let i = 0; i < index.length; i++) this.where.set(index[i], { slot, u: u[i], v: v[i] });
    this.evict(slot);
    return null;
  }

  /**
   * Draws sprites for `ids` (nearest the centre first: when an atlas's capacity runs out the
   * farthest are dropped). Positions and colour values are the points pass's arrays; points of
   * interest of a highlight are drawn above the other sprites of their atlas.
   */
  show(ids: Uint32Array, positions: Float32Array, selected: Uint8Array | null, colorValues: Float32Array, highlight: Uint8Array | null): void {
    for (const s of this.slots.values()) s.count = 0;
    const accepted: Array<{ id: number; slot: Slot; u: number; v: number }> = [];
    for (let k = 0; k < ids.length && accepted.length < this.maxSprites; k++) {
      const w = this.where.get(ids[k]);
      if (!w || w.slot.count * 2 >= w.slot.centers.array.length) continue;
      w.slot.count++;
      accepted.push({ id: ids[k], slot: w.slot, u: w.u, v: w.v });
    }
    for (const s of this.slots.values()) s.count = 0;
    // Written farthest first so that, within an atlas, the sprites nearest the centre are on top;
    // with a highlight, the receded ones all go first.
    const order: typeof accepted = [];
    for (const pass of highlight ? [0, 1] : [1]) {
      for (let k = accepted.length - 1; k >= 0; k--) if (!highlight || (highlight[accepted[k].id] ? 1 : 0) === pass) order.push(accepted[k]);
    }
    const drawn: DrawnSprite[] = [];
    for (const { id, slot: s, u, v } of order) {
      const i = s.count++;
      const x = positions[2 * id];
      const y = positions[2 * id + 1];
      (s.centers.array as Float32Array)[2 * i] = x;
      (s.centers.array as Float32Array)[2 * i + 1] = y;
      (s.cells.array as Float32Array)[2 * i] = u;
      (s.cells.array as Float32Array)[2 * i + 1] = v;
      (s.colors.array as Float32Array)[i] = colorValues[id];
      (s.states.array as Float32Array)[i] = (selected && selected[id] ? SELECTED : 0) | (highlight ? (highlight[id] ? HIGHLIGHTED : RECEDED) : 0);
      drawn.push({ id, x, y });
    }
    for (const s of this.slots.values()) {
      s.mesh.visible = s.count > 0;
      s.geometry.instanceCount = s.count;
      if (s.count === 0) continue;
      s.lastUsed = ++this.clock;
      for (const a of [s.centers, s.cells, s.colors, s.states]) {
        a.clearUpdateRanges();
        a.addUpdateRange(0, s.count * a.itemSize);
        a.needsUpdate = true;
      }
    }
    this.drawn = drawn;
  }

  /** Forgets every thumbnail (e.g. new layout with different point ids). */
  clear(): void {
    for (const id of [...this.slots.keys()]) this.remove(id);
    this.drawn = [];
  }

  private evict(keep: Slot): void {
    let bytes = 0;
    for (const s of this.slots.values()) bytes += s.atlas.rgba.byteLength;
    while (bytes > this.maxAtlasBytes) {
      let oldest: Slot | null = null;
      for (const s of this.slots.values()) if (s !== keep && (!oldest || s.lastUsed < oldest.lastUsed)) oldest = s;
      if (!oldest) return;
      bytes -= oldest.atlas.rgba.byteLength;
      this.remove(oldest.atlas.atlasId);
    }
  }

  /** How many of `ids` have a cached thumbnail. */
  countCached(ids: Uint32Array): number {
    let k = 0;
    for (let i = 0; i < ids.length; i++) if (this.where.has(ids[i])) k++;
    return k;
  }

  private remove(atlasId: string): void {
    const s = this.slots.get(atlasId);
    if (!s) return;
    this.slots.delete(atlasId);
    const { index } = s.atlas.entries;
    for (let i = 0; i < index.length; i++) if (this.where.get(index[i])?.slot === s) this.where.delete(index[i]);
    this.object.remove(s.mesh);
    s.geometry.dispose();
    s.material.dispose();
    s.texture.dispose();
  }

  dispose(): void {
    this.clear();
  }
}
