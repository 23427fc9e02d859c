// Combining a new lasso or box result with the current selection. Results are sorted and
// free of duplicates, so hosts can compare and store them as they are.

export type SelectMode = 'replace' | 'add' | 'subtract';

/** Shift adds, Alt subtracts (Alt wins when both are held), otherwise replace. */
export function modeFromModifiers(e: { shiftKey: boolean; altKey: boolean }): SelectMode {
  if (e.altKey) return 'subtract';
  if (e.shiftKey) return 'add';
  return 'replace';
}

/** Sorted, unique copy of ids below n. */
export function normalizeIds(n: number, ids: ArrayLike<number>): Uint32Array {
  // Sorting costs k log k, a mark pass costs n: pick whichever is smaller.
  if (ids.length * 16 < n) {
    const sorted = Uint32Array.from(ids).sort();
    let k = 0;
    for (let i = 0; i < sorted.length; i++) {
      const v = sorted[i];
      if (v < n && (k === 0 || sorted[k - 1] !== v)) sorted[k++] = v;
    }
    return sorted.slice(0, k);
  }
  const marks = new Uint8Array(n);
  for (let i = 0; i < ids.length; i++) if (ids[i] < n) marks[ids[i]] = 1;
  return collect(marks);
}

function collect(marks: Uint8Array): Uint32Array {
  let k = 0;
  for (let i = 0; i < marks.length; i++) k += marks[i];
  const out = new Uint32Array(k);
  k = 0;
  for (let i = 0; i < marks.length; i++) if (marks[i]) out[k++] = i;
  return out;
}

/** The selection after applying `hits` to `current` (both ids below n) in `mode`. */
export function combineSelection(n: number, current: Uint32Array, hits: ArrayLike<number>, mode: SelectMode): Uint32Array {
  if (mode === 'replace') return normalizeIds(n, hits);
  if (mode === 'add' && current.length === 0) return normalizeIds(n, hits);
  if (mode === 'subtract' && (current.length === 0 || hits.length === 0)) return current.slice();
  const marks = new Uint8Array(n);
  for (let i = 0; i < current.length; i++) if (current[i] < n) marks[current[i]] = 1;
  const value = mode === 'add' ? 1 : 0;
  for (let i = 0; i < hits.length; i++) if (hits[i] < n) marks[hits[i]] = value;
  return collect(marks);
}
