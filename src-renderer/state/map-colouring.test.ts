import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScoreColumns } from '../../src-shared/contract/curate';
import { FLAG_EXCLUDED, FLAG_RELABELLED, FLAG_REVIEWED, UNLABELLED } from '../../src-shared/model/sample';
import { MISSING_COLOR } from '../scene/constants';
import { COLORMAPS, DEFAULT_PALETTE } from '../scene/palette';
import { alignRows } from './align';
import { BOTH_COLOR, colourMap, colouringKey, formatScore, INTEREST_COLOR, LEGEND_MAX_ENTRIES, REFERENCE_COLOR, REST_COLOR, ticksFor, type ColourInputs, type Legend } from './map-colouring';

/** Six samples with ids 10..15 on the map; sample columns hold the same ids. */
function inputs(over: Partial<ColourInputs> = {}): ColourInputs {
  const ids = Int32Array.of(10, 11, 12, 13, 14, 15);
  return {
    colorBy: 'label', ids, colRows: alignRows(ids, ids),
    labels: Uint16Array.of(2, 0, 1, 0, UNLABELLED, 2), labelNames: ['10', '2', 'cat'],
    flags: new Uint8Array(6), scores: null, slice: null, reference: null, meta: null, ...over,
  };
}

function scores(over: Partial<ScoreColumns> = {}): ScoreColumns {
  // Sample 15 has no scores row at all.
  return {
    mapId: 1, ids: Int32Array.of(10, 11, 12, 13, 14),
    noise: Float32Array.of(0.2, 0.9, NaN, 0.4, 0.6), sparseness: Float32Array.of(1, 2, 3, 4, 5),
    dupGroup: Int32Array.of(-1, 7, 7, 3, -1), modelDisagrees: new Float32Array(5).fill(NaN), ...over,
  };
}

const categorical = (l: Legend) => { assert.equal(l.kind, 'categorical'); return l as Extract<Legend, { kind: 'categorical' }>; };
const gradient = (l: Legend) => { assert.equal(l.kind, 'gradient'); return l as Extract<Legend, { kind: 'gradient' }>; };
const rows = (l: Legend) => categorical(l).entries.map((e) => [e.name, e.count]);

describe('colourMap', () => {
  it('labels: one category per label, legend sorted by name (numbers in numeric order) with counts, unlabelled last', () => {
    const c = colourMap(inputs());
    assert.deepEqual([...c.values], [2, 0, 1, 0, UNLABELLED, 2]);
    assert.equal(c.highlight, null);
    assert.deepEqual(rows(c.legend), [['2', 1], ['10', 2], ['cat', 2], ['unlabelled', 1]]);
    const entries = categorical(c.legend).entries;
    assert.equal(entries.find((e) => e.name === 'cat')!.color, DEFAULT_PALETTE[2]);
    assert.equal(entries.at(-1)!.color, MISSING_COLOR);
  });

  it('label noise: a gradient over the data range, ticks at its ends, histogram of the scored points, the rest counted as missing', () => {
    const c = colourMap(inputs({ colorBy: 'noise', scores: scores() }));
    assert.ok(c.values instanceof Float32Array);
    assert.deepEqual([...c.values].map((v) => (Number.isNaN(v) ? null : +v.toFixed(2))), [0.2, 0.9, null, 0.4, 0.6, null]);
    assert.deepEqual((c.scheme as { domain: number[] }).domain.map((v) => +v.toFixed(4)), [0.2, 0.9]);
    const l = gradient(c.legend);
    assert.equal(l.title, 'label noise');
    assert.deepEqual(l.stops, COLORMAPS.viridis);
    // Float32 scores: 0.2 + 0.7 / 4 is 0.37499..., shown as it is.
    assert.deepEqual(l.ticks.map((t) => t.label), ['0.20', '0.37', '0.55', '0.72', '0.90']);
    assert.deepEqual(l.ticks.map((t) => t.at), [0, 0.25, 0.5, 0.75, 1]);
    assert.equal(l.count, 4);
    assert.equal(l.missing, 2);
    assert.equal(l.histogram.reduce((a, b) => a + b, 0), 4);
    assert.equal(l.histogram[0], 1, 'the minimum is in the first bin');
    assert.equal(l.histogram.at(-1), 1, 'the maximum is in the last bin');
  });

  it('sparseness uses its own range', () => {
    const l = gradient(colourMap(inputs({ colorBy: 'sparseness', scores: scores() })).legend);
    assert.deepEqual(l.ticks.map((t) => t.label), ['1', '2', '3', '4', '5']);
  });

  it('model disagrees without predictions: every point missing, no ticks', () => {
    const l = gradient(colourMap(inputs({ colorBy: 'model_disagree', scores: scores() })).legend);
    assert.equal(l.title, 'model disagrees');
    assert.equal(l.count, 0);
    assert.equal(l.missing, 6);
    assert.deepEqual(l.ticks, []);
  });

  it('relabelled: the relabelled points are the highlight, in the bright colour; the rest grey', () => {
    const flags = Uint8Array.of(0, FLAG_RELABELLED, FLAG_REVIEWED, FLAG_RELABELLED | FLAG_EXCLUDED, 0, 0);
    const c = colourMap(inputs({ colorBy: 'relabelled', flags }));
    assert.deepEqual([...c.highlight!], [0, 1, 0, 1, 0, 0]);
    assert.deepEqual([...c.values], [1, 0, 1, 0, 1, 1]);
    assert.deepEqual((c.scheme as { palette: string[] }).palette, [INTEREST_COLOR, REST_COLOR]);
    assert.deepEqual(rows(c.legend), [['relabelled', 2], ['unchanged', 4]]);
  });

  it('reviewed: bit 2 of the flags, not the relabelled bit', () => {
    const flags = Uint8Array.of(FLAG_REVIEWED, FLAG_RELABELLED, FLAG_REVIEWED | FLAG_RELABELLED, 0, 0, 0);
    const c = colourMap(inputs({ colorBy: 'reviewed', flags }));
    assert.deepEqual([...c.highlight!], [1, 0, 1, 0, 0, 0]);
    assert.deepEqual(rows(c.legend), [['reviewed', 2], ['not reviewed', 4]]);
  });

  it('a point missing from the sample columns is never of interest', () => {
    const ids = Int32Array.of(10, 11, 99);
    const c = colourMap(inputs({ colorBy: 'relabelled', ids, colRows: alignRows(ids, Int32Array.of(10, 11)), flags: Uint8Array.of(FLAG_RELABELLED, FLAG_RELABELLED) }));
    assert.deepEqual([...c.highlight!], [1, 1, 0]);
  });

  it('slice: its members are the highlight, named in the legend', () => {
    const c = colourMap(inputs({ colorBy: 'slice', slice: { name: 'mislabeled-1', ids: Int32Array.of(11, 14, 99) } }));
    assert.deepEqual([...c.highlight!], [0, 1, 0, 0, 1, 0]);
    assert.equal(c.legend.title, 'slice mislabeled-1');
    assert.deepEqual(rows(c.legend), [['in mislabeled-1', 2], ['other', 4]]);
  });

  it('reference: the samples nearest the reference images, the slice, and both, highlighted over the rest', () => {
    const slice = { name: 'val', ids: Int32Array.of(11, 12) };
    // Three reference images land on 12 (twice) and 14.
    const reference = { name: 'deploy', ids: Int32Array.of(14, 12, 12) };
    const c = colourMap(inputs({ colorBy: 'reference', slice, reference }));
    const palette = (c.scheme as { palette: string[] }).palette;
    assert.deepEqual([...c.values].map((v) => palette[v]), [REST_COLOR, INTEREST_COLOR, BOTH_COLOR, REST_COLOR, REFERENCE_COLOR, REST_COLOR]);
    assert.deepEqual([...c.highlight!], [0, 1, 1, 0, 1, 0]);
    assert.deepEqual(rows(c.legend), [['in val and near deploy', 1], ['near deploy', 1], ['in val', 1], ['other', 3]]);
    // Without a slice, only the reference's footprint; without a reference, the labels.
    assert.deepEqual(rows(colourMap(inputs({ colorBy: 'reference', reference })).legend), [['near deploy', 2], ['other', 4]]);
    assert.deepEqual(colouringKey(inputs({ colorBy: 'reference' }))[0], 'label');
  });

  it('duplicate groups: members coloured by group (largest first) and highlighted, single samples grey', () => {
    const c = colourMap(inputs({ colorBy: 'dup_group', scores: scores({ dupGroup: Int32Array.of(5, 7, 7, 5, 7) }) }));
    // Group 7 has three members, group 5 two; sample 15 has no scores row.
    assert.deepEqual([...c.values], [1, 0, 0, 1, 0, UNLABELLED]);
    assert.deepEqual([...c.highlight!], [1, 1, 1, 1, 1, 0]);
    assert.deepEqual(rows(c.legend), [['group 7', 3], ['group 5', 2], ['not a duplicate', 1]]);
    assert.equal(categorical(c.legend).entries[0]!.color, DEFAULT_PALETTE[0]);
  });

  it('a group of one is not a duplicate, and no group at all means no highlight', () => {
    const c = colourMap(inputs({ colorBy: 'dup_group', scores: scores({ dupGroup: Int32Array.of(1, 2, -1, -1, 3) }) }));
    assert.equal(c.highlight, null);
    assert.deepEqual(rows(c.legend), [['not a duplicate', 6]]);
  });

  it('a long categorical legend lists the first entries and counts the rest', () => {
    const n = LEGEND_MAX_ENTRIES + 5;
    const ids = Int32Array.from({ length: n }, (_, i) => i);
    const labelNames = Array.from({ length: n }, (_, i) => `c${String(i).padStart(2, '0')}`);
    const l = categorical(colourMap(inputs({ ids, colRows: alignRows(ids, ids), labels: Uint16Array.from(ids), labelNames, flags: new Uint8Array(n) })).legend);
    assert.equal(l.entries.length, LEGEND_MAX_ENTRIES);
    assert.deepEqual(l.more, { entries: 5, count: 5 });
  });

  it('a mode whose data is missing falls back to the labels, and is keyed as such', () => {
    const c = colourMap(inputs({ colorBy: 'slice' }));
    assert.equal(c.legend.title, 'label');
    assert.equal(colouringKey(inputs({ colorBy: 'noise' }))[0], 'label');
  });

  it('metadata: numeric fields as a gradient, categorical ones by name', () => {
    const ids = Int32Array.of(10, 11, 12, 13, 14, 15);
    const num = colourMap(inputs({ colorBy: 'meta:size', meta: { field: 'size', kind: 'numeric', ids, values: Float32Array.of(0, 100, 50, 25, 75, NaN) } }));
    assert.deepEqual(gradient(num.legend).ticks.map((t) => t.label), ['0', '25', '50', '75', '100']);
    const cat = colourMap(inputs({ colorBy: 'meta:camera', meta: { field: 'camera', kind: 'categorical', ids, codes: Uint16Array.of(1, 1, 0, UNLABELLED, 1, 0), categories: ['b', 'a'] } }));
    assert.deepEqual(rows(cat.legend), [['a', 3], ['b', 2], ['no value', 1]]);
  });
});

describe('ticks and numbers', () => {
  it('as many decimals as a quarter of the range needs', () => {
    assert.equal(formatScore(0.123456, 1), '0.12');
    assert.equal(formatScore(1234.5, 1000), '1235');
    assert.equal(formatScore(3, 4), '3');
    assert.equal(formatScore(0.3, 0.4), '0.3');
    assert.equal(formatScore(0.00123, 0.01), '0.0012');
    assert.equal(formatScore(-0.0001, 1), '0.00');
  });
  it('a constant column gets one tick mid-bar', () => {
    assert.deepEqual(ticksFor([0.5, 0.5]), [{ at: 0.5, label: '0.50' }]);
  });
});
