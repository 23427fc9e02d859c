// Sample-id lists are the row spaces every column is aligned with; these helpers are the one
// place that compares them.

/** Whether two id lists are the same rows in the same order (e.g. a map over exactly a table's samples). */
export function sameIds(a: ArrayLike<number> | null, b: ArrayLike<number> | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The index of `id` in ascending `ids` (a table's, a map's, a slice's), or -1 when it is not there. */
export function indexOfId(ids: ArrayLike<number>, id: number): number {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = ids[mid]!;
    if (v === id) return mid;
    if (v < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
