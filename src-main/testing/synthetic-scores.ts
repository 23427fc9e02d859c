// Score rows for a map without computing them (benches of the review loop's latency on a
// large project, where real scores would cost minutes of embedding first): seeded random noise
// and sparseness, and a suggestion of another label drawn from the project's labels.
import { createRng } from '../../src-shared/random';
import type { Catalog } from '../core/catalog/catalog';

export function writeSyntheticScores(catalog: Catalog, mapId: number, seed = 1): number {
  const rng = createRng(seed);
  const rows = catalog.db.prepare('SELECT id, label FROM samples ORDER BY id').raw().all() as Array<[number, string | null]>;
  const labels = [...new Set(rows.map((r) => r[1]).filter((l): l is string => l !== null))].sort();
  const put = catalog.db.prepare('INSERT OR REPLACE INTO scores (map_id, sample_id, sparseness, noise, suggested_label, suggested_confidence) VALUES (?, ?, ?, ?, ?, ?)');
  catalog.db.transaction(() => {
    // the map's score columns blob (curate/score-columns.ts) is kept with its rows: these replace them
    catalog.db.prepare('DELETE FROM score_columns WHERE map_id = ?').run(mapId);
    for (const [id, label] of rows) {
      const others = labels.filter((l) => l !== label);
      put.run(mapId, id, rng(), rng() ** 4, others.length ? others[Math.floor(rng() * others.length)]! : null, rng());
    }
  })();
  return rows.length;
}
