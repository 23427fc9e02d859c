// Performance marks for the path to the first frame (read by bench/scale-1m-frame.ts through
// performance.getEntriesByName): each is made the first time only, so a later reload of the
// same data does not move it.
const made = new Set<string>();

export function markOnce(name: string): void {
  if (made.has(name) || typeof performance === 'undefined') return;
  made.add(name);
  performance.mark(name);
}
