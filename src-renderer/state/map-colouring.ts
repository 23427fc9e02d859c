// What the map's colour mode makes of the store columns, as one pure function: the colour
// column the engine draws, its scheme, the highlight mask (points of interest drawn on top, the
// rest receded) and the legend that says what the colours mean, with counts. scene-feed.ts
// calls it when one of the columns the mode reads changed identity.
import type { ScoreColumns } from '../../src-shared/contract/curate';
import type { MetadataColumn } from '../../src-shared/model/metadata';
import { FLAG_RELABELLED, FLAG_REVIEWED, UNLABELLED } from '../../src-shared/model/sample';
import { scoreDomain } from '../scene/colorColumn';
import { COLORMAPS, DEFAULT_PALETTE } from '../scene/palette';
import type { CategoricalScheme, ContinuousScheme } from '../scene/types';
import { MISSING_COLOR } from '../scene/constants';
import { alignRows, pickF32, pickU16, rowsOf } from './align';

export type ScoreMode = 'noise' | 'sparseness' | 'model_disagree';
export type HighlightMode = 'slice' | 'relabelled' | 'reviewed' | 'reference';
export type ColorBy = 'label' | ScoreMode | 'dup_group' | HighlightMode | `meta:${string}`;

/** Points of interest in a highlight mode, and the rest (receded, so a quiet grey). */
export const INTEREST_COLOR = '#ff4f8b';
export const REST_COLOR = '#8a919c';
/** The reference mode: where a reference folder's images land, and where they meet the slice. */
export const REFERENCE_COLOR = '#35c2ff';
export const BOTH_COLOR = '#ffd23f';
/** Categorical legends list at most this many entries; the rest are counted as "more". */
export const LEGEND_MAX_ENTRIES = 16;
/** Bars of the histogram under a gradient legend. */
export const HISTOGRAM_BINS = 24;

export interface LegendEntry { name: string; color: string; count: number }

export type Legend =
  | {
      kind: 'categorical';
      title: string;
      /** Sorted: a highlight's points of interest first; labels and categories by name; duplicate groups largest first. */
      entries: LegendEntry[];
      /** Entries not listed (beyond LEGEND_MAX_ENTRIES) and the points they hold. */
      more: { entries: number; count: number };
    }
  | {
      kind: 'gradient';
      title: string;
      stops: readonly string[];
      domain: [number, number];
      /** Values at positions `at` in [0, 1] along the bar, as shown. */
      ticks: Array<{ at: number; label: string }>;
      /** Points per equal-width bin across the domain. */
      histogram: number[];
      /** Points with a score, and without one (drawn in `missingColor`). */
      count: number;
      missing: number;
      missingColor: string;
    };

export interface ColourInputs {
  colorBy: ColorBy;
  /** The map's sample ids, one per point. */
  ids: Int32Array;
  /** For each point, its row in the sample columns (labels, flags), or -1. */
  colRows: Int32Array;
  labels: Uint16Array;
  labelNames: readonly string[];
  flags: Uint8Array;
  scores: ScoreColumns | null;
  slice: { name: string; ids: Int32Array } | null;
  /** A reference folder's footprint on the map: the nearest mapped sample of each reference image (may repeat). */
  reference: { name: string; ids: Int32Array } | null;
  meta: MetadataColumn | null;
}

export interface Colouring {
  values: Uint16Array | Float32Array;
  scheme: CategoricalScheme | ContinuousScheme;
  /** Non-zero: a point of interest; null: no highlight. */
  highlight: Uint8Array | null;
  legend: Legend;
}

/** The mode actually shown: one whose data is missing falls back to the labels. */
export function effectiveMode(c: Pick<ColourInputs, 'colorBy' | 'scores' | 'slice' | 'meta' | 'reference'>): ColorBy {
  const m = c.colorBy;
  if (m.startsWith('meta:')) return c.meta && m === `meta:${c.meta.field}` ? m : 'label';
  if (m === 'noise' || m === 'sparseness' || m === 'model_disagree' || m === 'dup_group') return c.scores ? m : 'label';
  if (m === 'slice') return c.slice ? m : 'label';
  if (m === 'reference') return c.reference ? m : 'label';
  return m;
}

/** The inputs the mode reads, so a change to any other column re-derives nothing. */
export function colouringKey(c: ColourInputs): unknown[] {
  const mode = effectiveMode(c);
  if (mode.startsWith('meta:')) return [mode, c.ids, c.meta];
  if (mode === 'noise' || mode === 'sparseness' || mode === 'model_disagree' || mode === 'dup_group') return [mode, c.ids, c.scores];
  if (mode === 'slice') return [mode, c.ids, c.slice];
  if (mode === 'reference') return [mode, c.ids, c.slice, c.reference];
  if (mode === 'relabelled' || mode === 'reviewed') return [mode, c.colRows, c.flags];
  return ['label', c.colRows, c.labels];
}

const SCORE_TITLES: Record<ScoreMode, string> = { noise: 'label noise', sparseness: 'sparseness', model_disagree: 'model disagrees' };

/**
 * `into` may be passed for the label colouring (the common one, re-derived on every edit): the
 * engine copies a colour column as it receives it, so one scratch array serves every edit.
 */
export function colourMap(c: ColourInputs, into?: Uint16Array): Colouring {
  const mode = effectiveMode(c);
  const { ids, scores } = c;
  if (mode.startsWith('meta:') && c.meta) {
    const rows = alignRows(ids, c.meta.ids);
    if (c.meta.kind === 'numeric') return gradient(c.meta.field, pickF32(c.meta.values, rows));
    const codes = pickU16(c.meta.codes, rows);
    return byCategory(c.meta.field, codes, c.meta.categories, 'no value');
  }
  if ((mode === 'noise' || mode === 'sparseness' || mode === 'model_disagree') && scores) {
    const column = mode === 'noise' ? scores.noise : mode === 'sparseness' ? scores.sparseness : scores.modelDisagrees;
    return gradient(SCORE_TITLES[mode], pickF32(column, alignRows(ids, scores.ids)));
  }
  if (mode === 'dup_group' && scores) return duplicateGroups(scores.dupGroup, alignRows(ids, scores.ids));
  if (mode === 'slice' && c.slice) {
    const interest = new Uint8Array(ids.length);
    for (const r of rowsOf(ids, c.slice.ids)) interest[r] = 1;
    return highlighted(`slice ${c.slice.name}`, interest, [`in ${c.slice.name}`, 'other']);
  }
  if (mode === 'reference' && c.reference) return referenceAndSlice(ids, c.reference, c.slice);
  if (mode === 'relabelled' || mode === 'reviewed') {
    const bit = mode === 'relabelled' ? FLAG_RELABELLED : FLAG_REVIEWED;
    const interest = new Uint8Array(c.colRows.length);
    for (let i = 0; i < c.colRows.length; i++) { const r = c.colRows[i]!; interest[i] = r >= 0 && c.flags[r]! & bit ? 1 : 0; }
    return highlighted(mode, interest, mode === 'relabelled' ? ['relabelled', 'unchanged'] : ['reviewed', 'not reviewed']);
  }
  const codes = pickU16(c.labels, c.colRows, UNLABELLED, into && into.length === c.colRows.length ? into : undefined);
  return byCategory('label', codes, c.labelNames, 'unlabelled');
}

/** Points of interest (1) in a bright colour, drawn on top; the rest (0) grey and receded. */
function highlighted(title: string, interest: Uint8Array, [inName, outName]: [string, string]): Colouring {
  const values = new Uint16Array(interest.length);
  let k = 0;
  for (let i = 0; i < interest.length; i++) {
    if (interest[i]) k++;
    else values[i] = 1;
  }
  return {
    values,
    scheme: { palette: [INTEREST_COLOR, REST_COLOR] },
    highlight: interest,
    legend: { kind: 'categorical', title, entries: [{ name: inName, color: INTEREST_COLOR, count: k }, { name: outName, color: REST_COLOR, count: interest.length - k }], more: { entries: 0, count: 0 } },
  };
}

/**
 * Both distributions on one map: the samples nearest to the reference's images, the slice's
 * members, and the samples that are both (a validation set that sits where the reference does),
 * highlighted over the receded rest.
 */
function referenceAndSlice(ids: Int32Array, reference: { name: string; ids: Int32Array }, slice: { name: string; ids: Int32Array } | null): Colouring {
  const SLICE = 1, REF = 2;
  const bits = new Uint8Array(ids.length);
  const sorted = Int32Array.from(new Set(reference.ids)).sort();
  for (const r of rowsOf(ids, sorted)) bits[r]! |= REF;
  if (slice) for (const r of rowsOf(ids, slice.ids)) bits[r]! |= SLICE;
  // Codes into the palette: 0 both, 1 reference only, 2 slice only, 3 rest.
  const code = [3, 2, 1, 0];
  const palette = [BOTH_COLOR, REFERENCE_COLOR, INTEREST_COLOR, REST_COLOR];
  const values = new Uint16Array(ids.length);
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < ids.length; i++) { const c = code[bits[i]!]!; values[i] = c; counts[c]!++; }
  const names = [`in ${slice?.name ?? 'the slice'} and near ${reference.name}`, `near ${reference.name}`, `in ${slice?.name ?? 'the slice'}`, 'other'];
  // Without a slice only "near the reference" and "other" mean anything.
  const entries = names.map((name, c) => ({ name, color: palette[c]!, count: counts[c]! })).filter((_, c) => slice !== null || c === 1 || c === 3);
  const highlight = new Uint8Array(ids.length);
  for (let i = 0; i < ids.length; i++) highlight[i] = bits[i] ? 1 : 0;
  return { values, scheme: { palette }, highlight, legend: { kind: 'categorical', title: `reference ${reference.name}`, entries, more: { entries: 0, count: 0 } } };
}

/** Category codes (0xFFFF: none) named by `names`; legend sorted by name, numbers in numeric order. */
function byCategory(title: string, codes: Uint16Array, names: readonly string[], missingName: string): Colouring {
  // A typed histogram over every possible code: re-counted on each relabel, so no Map per point.
  const counts = new Uint32Array(UNLABELLED + 1);
  for (let i = 0; i < codes.length; i++) counts[codes[i]!]!++;
  const palette = DEFAULT_PALETTE;
  const entries: LegendEntry[] = [];
  for (let code = 0; code < UNLABELLED; code++) {
    const count = counts[code]!;
    if (count > 0) entries.push({ name: names[code] ?? `#${code}`, color: palette[code % palette.length]!, count });
  }
  entries.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  const missing = counts[UNLABELLED]!;
  if (missing > 0) entries.push({ name: missingName, color: MISSING_COLOR, count: missing });
  return { values: codes, scheme: { palette }, highlight: null, legend: { kind: 'categorical', title, ...truncate(entries) } };
}

/** Members of duplicate groups (two or more samples) coloured by group and highlighted; groups largest first. */
function duplicateGroups(dupGroup: Int32Array, rows: Int32Array): Colouring {
  const group = new Int32Array(rows.length);
  const sizes = new Map<number, number>();
  for (let i = 0; i < rows.length; i++) {
    const g = rows[i]! < 0 ? -1 : dupGroup[rows[i]!]!;
    group[i] = g;
    if (g >= 0) sizes.set(g, (sizes.get(g) ?? 0) + 1);
  }
  // Colours by rank, so the largest groups get the most distinct colours.
  const ranked = [...sizes].filter(([, n]) => n >= 2).sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const rank = new Map(ranked.map(([g], r) => [g, r]));
  const values = new Uint16Array(rows.length);
  const highlight = new Uint8Array(rows.length);
  let loose = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rank.get(group[i]!);
    if (r === undefined) {
      values[i] = UNLABELLED;
      loose++;
    } else {
      values[i] = r % 0xfffe;
      highlight[i] = 1;
    }
  }
  const palette = DEFAULT_PALETTE;
  const entries: LegendEntry[] = ranked.map(([g, n], r) => ({ name: `group ${g}`, color: palette[r % palette.length]!, count: n }));
  const shown = truncate(entries);
  // "not a duplicate" always shows: it is most of the map.
  shown.entries.push({ name: 'not a duplicate', color: MISSING_COLOR, count: loose });
  return { values, scheme: { palette }, highlight: ranked.length ? highlight : null, legend: { kind: 'categorical', title: 'duplicate group', ...shown } };
}

function truncate(entries: LegendEntry[]): { entries: LegendEntry[]; more: { entries: number; count: number } } {
  if (entries.length <= LEGEND_MAX_ENTRIES) return { entries, more: { entries: 0, count: 0 } };
  const rest = entries.slice(LEGEND_MAX_ENTRIES);
  return { entries: entries.slice(0, LEGEND_MAX_ENTRIES), more: { entries: rest.length, count: rest.reduce((s, e) => s + e.count, 0) } };
}

/** A score column on viridis over the data's own range, with ticks and a histogram. */
function gradient(title: string, values: Float32Array): Colouring {
  const domain = scoreDomain(values);
  const stops = COLORMAPS.viridis;
  return { values, scheme: { colormap: 'viridis', domain }, highlight: null, legend: gradientLegend(title, values, domain, stops) };
}

export function gradientLegend(title: string, values: Float32Array, domain: [number, number], stops: readonly string[]): Legend {
  const [lo, hi] = domain;
  const histogram = new Array<number>(HISTOGRAM_BINS).fill(0);
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v !== v) continue;
    count++;
    const b = hi > lo ? Math.min(HISTOGRAM_BINS - 1, Math.floor(((v - lo) / (hi - lo)) * HISTOGRAM_BINS)) : Math.floor(HISTOGRAM_BINS / 2);
    histogram[b]!++;
  }
  return { kind: 'gradient', title, stops, domain, ticks: ticksFor(domain, count > 0), histogram, count, missing: values.length - count, missingColor: MISSING_COLOR };
}

/** The two ends of the data's range and three values between; one tick mid-bar for a constant column. */
export function ticksFor([lo, hi]: [number, number], any = true): Array<{ at: number; label: string }> {
  if (!any) return [];
  if (!(hi > lo)) return [{ at: 0.5, label: formatScore(lo, 0) }];
  const span = hi - lo;
  return [0, 0.25, 0.5, 0.75, 1].map((at) => ({ at, label: formatScore(lo + at * span, span) }));
}

/** Enough decimals to tell ticks a quarter of `span` apart, no more. */
export function formatScore(v: number, span: number): string {
  const step = span / 4;
  let decimals = Number.isInteger(v) ? 0 : 2;
  if (step > 0) {
    // The step's first digit sets the decimals, one more when it has a second one (0.25, 2.5).
    const e = Math.floor(Math.log10(step));
    const m = step / 10 ** e;
    decimals = Math.min(6, Math.max(0, -e + (Math.abs(m - Math.round(m)) < 1e-6 ? 0 : 1)));
  }
  const s = v.toFixed(decimals);
  return s === '-0' || /^-0\.0*$/.test(s) ? s.slice(1) : s;
}
