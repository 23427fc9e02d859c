// The built-in demo sets (idx.ts: MNIST, and Fashion-MNIST where installed): all 70,000 images
// of one, stored inside the project (raw 28×28 grey pixels) so thumbnails and export work
// without the files; then their looks (import-looks.ts). A demo set is a dataset of kind
// 'mnist' (the IDX demo kind) without a root, told apart by its name.
import { createHash } from 'node:crypto';
import type { ImportSummary } from '../../../src-shared/model/import';
import type { Catalog, NewSample } from '../catalog/catalog';
import type { JobContext } from '../jobs/job-manager';
import { DEMO_SETS, readDemoPart, type DemoSet } from './idx';
import { importLooks } from './import-looks';
import { nextTurn } from '../jobs/next-turn';

const BATCH = 5000;

export async function importDemo(catalog: Catalog, set: DemoSet, ctx: JobContext): Promise<ImportSummary> {
  const spec = DEMO_SETS[set];
  const parts = [readDemoPart(set, 'train'), readDemoPart(set, 'test')];
  const total = parts.reduce((s, p) => s + p.count, 0);
  const datasetId = catalog.findOrCreateDataset('mnist', null, spec.name);
  const existing = catalog.existingPaths(datasetId);
  let added = 0;
  let done = 0;
  for (const part of parts) {
    const size = part.rows * part.cols;
    for (let start = 0; start < part.count; start += BATCH) {
      ctx.signal.throwIfAborted();
      const rows: NewSample[] = [];
      const end = Math.min(part.count, start + BATCH);
      for (let i = start; i < end; i++) {
        const relPath = `${part.split}/${String(i).padStart(5, '0')}.png`;
        if (existing.has(relPath)) continue;
        const pixels = part.images.slice(i * size, (i + 1) * size);
        const label = part.labels[i]!;
        rows.push({
          relPath, source: 'blob', width: part.cols, height: part.rows, channels: 1,
          contentHash: createHash('sha256').update(pixels).digest('hex'),
          label: spec.classes?.[label] ?? String(label), split: part.split, metadata: {},
          image: { kind: 'full', format: 'gray8', width: part.cols, height: part.rows, data: pixels },
        });
      }
      added += catalog.insertSamples(datasetId, rows);
      done += end - start;
      ctx.progress(done, total, `${part.split}: ${end} of ${part.count}`);
      // Yield so progress events and cancellation get through between batches.
      await nextTurn();
    }
  }
  await importLooks(catalog, datasetId, ctx);
  return { datasetId, added, skippedExisting: total - added, failedCount: 0, failed: [], warnings: [] };
}
