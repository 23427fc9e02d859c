// Samples with no image behind them, for tests of what is stored per sample (vectors, maps):
// `count` rows named `${prefix}${i}.png` in one folder dataset at /data.
import type { Catalog } from '../core/catalog/catalog';

/** Adds the samples and returns their ids, in order. */
export function addBareSamples(catalog: Catalog, count: number, prefix = ''): number[] {
  const ds = catalog.findOrCreateDataset('folder', '/data', 'data');
  catalog.insertSamples(ds, Array.from({ length: count }, (_, i) => ({ relPath: `${prefix}${i}.png`, source: 'file' as const, width: 1, height: 1, channels: 1, contentHash: `${prefix}h${i}`, label: null, split: null, metadata: {} })));
  return (catalog.db.prepare('SELECT id FROM samples ORDER BY id DESC LIMIT ?').pluck().all(count) as number[]).reverse();
}
