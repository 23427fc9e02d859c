// Sample-id lists are the row spaces every column is aligned with; these helpers are the one
// place that compares them.

/** Whether two id lists are the same rows in the same order (e.g. a map over exactly a table's samples). */
export function sameIds(a: ArrayLike<number> | null, b: ArrayLike<number> | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
