// The one encoder from sample rows to SampleColumns (labels as codes into labelNames), used for
// the whole catalog and for the rows an edit changed, so both speak the same columns.
import { UNLABELLED, type SampleColumns } from './sample';

/** Rows must come sorted by id: [id, label, flags]. */
export function encodeSampleColumns(rows: ReadonlyArray<readonly [number, string | null, number]>): SampleColumns {
  const ids = new Int32Array(rows.length);
  const labels = new Uint16Array(rows.length);
  const flags = new Uint8Array(rows.length);
  const names = new Map<string, number>();
  rows.forEach(([id, label, flag], i) => {
    ids[i] = id;
    flags[i] = flag;
    if (label === null) labels[i] = UNLABELLED;
    else {
      let idx = names.get(label);
      if (idx === undefined) names.set(label, (idx = names.size));
      labels[i] = idx;
    }
  });
  return { ids, labels, labelNames: [...names.keys()], flags };
}
