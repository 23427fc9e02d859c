// The one encoder from sample rows to SampleColumns (labels as codes into labelNames), used for
// the whole catalog and for the rows an edit changed, so both speak the same columns.
import { UNLABELLED, type SampleColumns } from './sample';

type Row = readonly [number, string | null, number];

/**
 * Rows must come sorted by id: [id, label, flags]. A whole catalog comes as an iterator with the
 * row count (`capacity`), so a million rows are never held as a million arrays at once.
 */
export function encodeSampleColumns(rows: Iterable<Row>, capacity = Array.isArray(rows) ? rows.length : 0): SampleColumns {
  let ids = new Int32Array(capacity);
  let labels = new Uint16Array(capacity);
  let flags = new Uint8Array(capacity);
  const names = new Map<string, number>();
  let n = 0;
  for (const [id, label, flag] of rows) {
    if (n === ids.length) {
      // more rows than announced: grow (the caller's count is a hint, not a promise)
      const size = Math.max(16, n * 2);
      ids = grow(ids, new Int32Array(size));
      labels = grow(labels, new Uint16Array(size));
      flags = grow(flags, new Uint8Array(size));
    }
    ids[n] = id;
    flags[n] = flag;
    if (label === null) labels[n] = UNLABELLED;
    else {
      let idx = names.get(label);
      if (idx === undefined) names.set(label, (idx = names.size));
      labels[n] = idx;
    }
    n++;
  }
  if (n < ids.length) { ids = ids.slice(0, n); labels = labels.slice(0, n); flags = flags.slice(0, n); }
  return { ids, labels, labelNames: [...names.keys()], flags };
}

function grow<T extends Int32Array | Uint16Array | Uint8Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
