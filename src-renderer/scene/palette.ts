// Colours: categorical palettes that cycle past their length, continuous colormaps as stops,
// and the description of what is on screen that a legend needs.
/** Tableau 10, then its lighter companions: the first ten categories are the most distinct. */
export const DEFAULT_PALETTE: readonly string[] = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac',
  '#a0cbe8', '#ffbe7d', '#ff9d9a', '#86bcb6', '#8cd17d', '#f1ce63', '#d4a6c8', '#fabfd2', '#d7b5a6', '#79706e',
];

/** Colormaps as evenly spaced stops, interpolated linearly in sRGB. */
export const COLORMAPS = {
  viridis: ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'],
  magma: ['#000004', '#1c1044', '#4f127b', '#812581', '#b5367a', '#e55964', '#fb8761', '#fec287', '#fcfdbf'],
  coolwarm: ['#3b4cc0', '#7396f5', '#b0cbfc', '#dcdddd', '#f6bfa6', '#ea7b60', '#b40426'],
  gray: ['#000000', '#ffffff'],
} as const satisfies Record<string, readonly string[]>;

export type ColormapName = keyof typeof COLORMAPS;

/** What the points' colours mean, for a legend. */
export type PaletteInfo =
  | { kind: 'uniform'; color: string }
  | {
      kind: 'categorical';
      /** Category c is colors[c % colors.length]. */
      colors: readonly string[];
      /** One more than the largest category present. */
      categories: number;
      /** Colour of points without a category (value 0xFFFF). */
      missing: string;
    }
  | {
      kind: 'continuous';
      colormap: string;
      stops: readonly string[];
      /** Scores at the first and the last stop; values outside are clamped. */
      domain: [number, number];
      /** Colour of NaN scores. */
      missing: string;
    };

export function categoryColor(info: PaletteInfo, category: number): string {
  if (info.kind !== 'categorical') throw new Error('not a categorical palette');
  if (category === 0xffff) return info.missing;
  return info.colors[category % info.colors.length];
}

/** '#rrggbb' or '#rgb' as bytes. */
export function parseHex(hex: string): [number, number, number] {
  let h = hex.trim().replace(/^#/, '');
  if (h.length === 3) h = h.replace(/./g, (c) => c + c);
  if (!/^[0-9a-fA-F]{6}$/.test(h)) throw new Error(`not a hex colour: ${hex}`);
  const v = parseInt(h, 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

/** Stops sampled at `t` in [0, 1] as bytes. */
export function sampleStops(stops: readonly string[], t: number): [number, number, number] {
  const rgb = stops.map(parseHex);
  if (rgb.length === 1) return rgb[0];
  const f = Math.min(1, Math.max(0, t)) * (rgb.length - 1);
  const i = Math.min(rgb.length - 2, Math.floor(f));
  const w = f - i;
  return [0, 1, 2].map((c) => Math.round(rgb[i][c] * (1 - w) + rgb[i + 1][c] * w)) as [number, number, number];
}

/** RGBA bytes of a palette texture, one texel per colour. */
export function paletteTexels(colors: readonly string[]): Uint8Array {
  const out = new Uint8Array(colors.length * 4);
  colors.forEach((c, i) => {
    out.set(parseHex(c), i * 4);
    out[i * 4 + 3] = 255;
  });
  return out;
}

/** RGBA bytes of a colormap texture with `size` texels. */
export function colormapTexels(stops: readonly string[], size = 256): Uint8Array {
  const out = new Uint8Array(size * 4);
  for (let i = 0; i < size; i++) {
    out.set(sampleStops(stops, i / (size - 1)), i * 4);
    out[i * 4 + 3] = 255;
  }
  return out;
}

export function resolveColormap(colormap: ColormapName | readonly string[] | undefined): { name: string; stops: readonly string[] } {
  if (colormap === undefined) return { name: 'viridis', stops: COLORMAPS.viridis };
  if (typeof colormap === 'string') {
    const stops = COLORMAPS[colormap];
    if (!stops) throw new Error(`unknown colormap: ${colormap}`);
    return { name: colormap, stops };
  }
  if (colormap.length === 0) throw new Error('a colormap needs at least one stop');
  colormap.forEach(parseHex);
  return { name: 'custom', stops: colormap };
}
