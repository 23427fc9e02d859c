// Export's --split is leak-free: copies (here exact ones, by content hash) never straddle
// train and val, for any seed, and the classes stay stratified.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../../testing/temp';
import { exportSamples, selectSamples } from './index';
import { addBlobDataset, newCatalog, quietCtx } from '../../testing/export-fixtures';

describe('split on export keeps duplicates together', () => {
  it('puts both members of every copied pair on the same side', async () => {
    const dir = tempDir();
    const catalog = newCatalog(dir);
    const specs = Array.from({ length: 80 }, (_, i) => ({ relPath: `${i % 2 ? 'a' : 'b'}/${i}.png`, label: i % 2 ? 'a' : 'b' }));
    addBlobDataset(catalog, specs, 8);
    // Samples 2k and 2k+2 (same label) become exact copies of each other: 20 pairs.
    const ids = catalog.db.prepare('SELECT id FROM samples ORDER BY id').pluck().all() as number[];
    const pairs: Array<[number, number]> = [];
    for (let k = 0; k + 2 < ids.length; k += 4) pairs.push([ids[k]!, ids[k + 2]!]);
    for (const [a, b] of pairs) catalog.db.prepare('UPDATE samples SET content_hash = (SELECT content_hash FROM samples WHERE id = ?) WHERE id = ?').run(a, b);
    const sampleIds = selectSamples(catalog, { kind: 'all' });
    for (const seed of [1, 2, 3, 4, 5]) {
      const out = join(dir, `s${seed}`);
      const s = await exportSamples(catalog, { sampleIds, out, layout: 'imagefolder', split: { ratio: 0.5, seed }, mode: 'new', source: { kind: 'all' } }, quietCtx());
      assert.deepEqual(s.bySplit, { train: 40, val: 40 });
      const sideOf = new Map<string, string>();
      for (const side of ['train', 'val']) for (const label of ['a', 'b']) for (const f of readdirSync(join(out, side, label))) sideOf.set(`${label}/${f}`, side);
      // Files are named <label>/<relPath with / as _>.
      const fileOf = (id: number) => { const r = specs[ids.indexOf(id)]!.relPath; return `${r.split('/')[0]}/${r.replace('/', '_')}`; };
      const side = (id: number) => sideOf.get(fileOf(id)) ?? assert.fail(`no file ${fileOf(id)}`);
      for (const [a, b] of pairs) assert.equal(side(a), side(b), `seed ${seed}: copies ${a} and ${b} split`);
      for (const label of ['a', 'b']) assert.equal([...sideOf].filter(([p, s]) => p.startsWith(`${label}/`) && s === 'train').length, 20);
    }
  });
});
