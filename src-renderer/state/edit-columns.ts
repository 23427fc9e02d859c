// Folds the changed rows an edit returns (binary columns, ids ascending) into the catalog's
// columns: new arrays, so everything keyed on column identity sees the change, but no per-row
// objects and no search per sample — one merge walk over two sorted id lists.
import type { SampleColumns } from '../../src-shared/model/sample';
import { UNLABELLED } from '../../src-shared/model/sample';

export function mergeChanged(columns: SampleColumns, changed: SampleColumns): SampleColumns {
  if (changed.ids.length === 0) return columns;
  const labelNames = [...columns.labelNames];
  // The edit's label codes are its own; translate them once per name, not once per row.
  const code = new Uint16Array(changed.labelNames.length);
  changed.labelNames.forEach((name, i) => {
    let c = labelNames.indexOf(name);
    if (c < 0) c = labelNames.push(name) - 1;
    code[i] = c;
  });
  const labels = columns.labels.slice();
  const flags = columns.flags.slice();
  const { ids } = columns;
  let row = 0;
  for (let i = 0; i < changed.ids.length; i++) {
    const id = changed.ids[i]!;
    while (row < ids.length && ids[row]! < id) row++;
    if (row === ids.length) break;
    if (ids[row] !== id) continue;
    const c = changed.labels[i]!;
    labels[row] = c === UNLABELLED ? UNLABELLED : code[c]!;
    flags[row] = changed.flags[i]!;
  }
  return { ids, labels, labelNames, flags };
}
