// The points of the current layout on the GPU: the points pass (every dot), the highlight pass
// (points of interest again, on top and larger) and the selection pass (selected dots again,
// ringed), the layout's columns and origin, and what the colour column, dim mask and highlight
// make of them. Replaced wholesale by each new point set.
import type { Object3D } from 'three';
import { DEFAULT_POINT_COLOR, MISSING_COLOR } from './constants';
import { encodeCategories, encodeScores, scoreDomain } from './colorColumn';
import { DEFAULT_PALETTE, resolveColormap, type PaletteInfo } from './palette';
import { HighlightPass } from './passes/highlightPass';
import { PointsPass } from './passes/pointsPass';
import { SelectionPass } from './passes/selectionPass';
import { COLOR_MODE, type ColorUniforms, type ViewUniforms } from './passes/uniforms';
import type { CategoricalScheme, ContinuousScheme } from './types';

const UNIFORM: PaletteInfo = { kind: 'uniform', color: DEFAULT_POINT_COLOR };

export class PointLayers {
  x: Float32Array = new Float32Array(0);
  y: Float32Array = new Float32Array(0);
  n = 0;
  /** Layout origin: positions go to the GPU relative to it (float32 keeps precision near the data). */
  ox = 0;
  oy = 0;
  /** Bumped by every new point set or position update. */
  layoutVersion = 0;
  dim: Uint8Array | null = null;
  /** Non-zero: a point of interest; null: no highlight. */
  highlight: Uint8Array | null = null;
  palette: PaletteInfo = UNIFORM;
  points: PointsPass | null = null;
  private selection: SelectionPass | null = null;
  private highlightPass: HighlightPass | null = null;

  constructor(
    private readonly view: ViewUniforms,
    private readonly colors: ColorUniforms,
    private readonly scene: { add(...o: Object3D[]): void; remove(...o: Object3D[]): void },
  ) {}

  /** A new point set about `origin`: fresh passes, no colour, no dimming. */
  setPoints(x: Float32Array, y: Float32Array, origin: { x: number; y: number }, ring: number, dpr: number): void {
    this.dispose();
    this.n = x.length;
    this.x = x;
    this.y = y;
    this.layoutVersion++;
    this.ox = origin.x;
    this.oy = origin.y;
    this.points = new PointsPass(this.n, this.view, this.colors);
    this.points.writePositions(x, y, this.ox, this.oy, false);
    this.highlightPass = new HighlightPass(this.points, this.view, this.colors);
    this.selection = new SelectionPass(this.points, this.view, this.colors);
    this.setRing(ring, dpr);
    this.scene.add(this.points.object, this.highlightPass.object, this.selection.object);
    this.dim = null;
    this.highlight = null;
    this.colors.uColorMode.value = COLOR_MODE.uniform;
    this.palette = UNIFORM;
  }

  updatePositions(x: Float32Array, y: Float32Array): void {
    const p = this.require();
    this.x = x;
    this.y = y;
    this.layoutVersion++;
    p.writePositions(x, y, this.ox, this.oy, true);
  }

  /** Encodes the column into the colour attribute; returns what the colours now mean. */
  setColorColumn(values: Uint16Array | Float32Array | null, scheme: CategoricalScheme | ContinuousScheme | undefined, maxTextureSize: number): void {
    const p = this.require();
    if (values === null) {
      this.colors.uColorMode.value = COLOR_MODE.uniform;
      this.palette = UNIFORM;
    } else if (values.length !== this.n) {
      throw new Error(`colour column has ${values.length} values for ${this.n} points`);
    } else if (values instanceof Uint16Array) {
      const palette = (scheme as CategoricalScheme | undefined)?.palette ?? DEFAULT_PALETTE;
      if (palette.length === 0 || palette.length > maxTextureSize) {
        throw new Error(`a palette needs 1 to ${maxTextureSize} colours`);
      }
      const categories = encodeCategories(values, p.colorArray);
      this.colors.setPalette(palette);
      this.colors.uColorMode.value = COLOR_MODE.categorical;
      this.palette = { kind: 'categorical', colors: [...palette], categories, missing: MISSING_COLOR };
    } else {
      const s = scheme as ContinuousScheme | undefined;
      const { name, stops } = resolveColormap(s?.colormap);
      const domain = s?.domain ?? scoreDomain(values);
      encodeScores(values, p.colorArray, domain);
      this.colors.setColormap(stops);
      this.colors.uColorMode.value = COLOR_MODE.continuous;
      this.palette = { kind: 'continuous', colormap: name, stops: [...stops], domain: [domain[0], domain[1]], missing: MISSING_COLOR };
    }
    p.colorsChanged();
  }

  setDimmed(mask: Uint8Array | null): void {
    const p = this.require();
    if (mask && mask.length !== this.n) throw new Error(`dim mask has ${mask.length} values for ${this.n} points`);
    this.dim = mask ? mask.slice() : null;
    p.setFlags(this.dim, this.highlight);
  }

  /** Points of interest (non-zero) drawn on top and larger, the rest receded; null: none. */
  setHighlight(mask: Uint8Array | null): void {
    const p = this.require();
    if (mask && mask.length !== this.n) throw new Error(`highlight mask has ${mask.length} values for ${this.n} points`);
    this.highlight = mask ? mask.slice() : null;
    p.setFlags(this.dim, this.highlight);
    this.highlightPass?.setIds(this.highlight ? nonZero(this.highlight) : new Uint32Array(0));
    this.selection?.setHighlightOn(this.highlight !== null);
  }

  showSelection(ids: Uint32Array): void {
    this.selection?.setSelection(ids);
  }

  /** Selection ring width, and the pixel ratio (the highlight ring is one CSS pixel). */
  setRing(devicePx: number, dpr: number): void {
    this.selection?.setRing(devicePx);
    this.highlightPass?.setRing(dpr);
  }

  require(): PointsPass {
    if (!this.points) throw new Error('setPoints first');
    return this.points;
  }

  dispose(): void {
    for (const pass of [this.selection, this.highlightPass, this.points]) {
      if (!pass) continue;
      this.scene.remove(pass.object);
      pass.dispose();
    }
    this.selection = null;
    this.highlightPass = null;
    this.points = null;
  }
}

function nonZero(mask: Uint8Array): Uint32Array {
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) k++;
  const ids = new Uint32Array(k);
  k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i]) ids[k++] = i;
  return ids;
}
