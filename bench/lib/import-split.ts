// Where one file's import time goes, stage by stage, on one thread: the folder import's work per
// file (read, hash, decode + thumbnail, hand-off from the decode worker, SQLite insert), with the
// way the code before issue #17 did each stage beside the way it does now. The old stages are
// re-enacted here with the same calls (sharp metadata + one sharp pipeline per file, the promise
// file API, 32 files per message and per transaction); bench/import.ts --baseline times the old
// code itself.
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import sharp from 'sharp';
import { Catalog, type NewSample } from '../../src-main/core/catalog/catalog';
import { createProjectDb } from '../../src-main/core/catalog/db';
import { readRegularFile, THUMB_SIZE } from '../../src-main/core/import/decode-image';
import { smallPngThumbnail } from '../../src-main/core/import/small-png';
import { onBackdrop } from '../../src-main/core/images/alpha';

export interface Stage { stage: string; before: number | null; now: number | null }

/**
 * CPU µs per item of `fn` (all threads of the process: libuv's pool and workers included), best
 * of `rounds` passes. CPU time, not wall time: the machine is shared, and what a stage costs is
 * what it takes from the two cores.
 */
async function perFile<T>(items: T[], fn: (item: T) => unknown, rounds = 3): Promise<number> {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const c0 = process.cpuUsage();
    for (const it of items) await fn(it);
    const c = process.cpuUsage(c0);
    best = Math.min(best, c.user + c.system);
  }
  return best / items.length;
}

export async function importSplit(root: string, dir: string, n = 2000): Promise<Stage[]> {
  const files: string[] = [];
  for (const c of readdirSync(root).sort()) for (const f of readdirSync(join(root, c)).sort()) files.push(join(root, c, f));
  const sample = files.filter((_, i) => i % Math.max(1, Math.floor(files.length / n)) === 0).slice(0, n);
  const bytes = await Promise.all(sample.map((f) => readFile(f)));
  sharp.cache(false);
  sharp.concurrency(1);

  const readOld = await perFile(sample, (f) => readFile(f));
  const readNow = await perFile(sample, (f) => readRegularFile(f));
  const hash = await perFile(bytes, (b) => createHash('sha256').update(b).digest('hex'));
  const metaOld = await perFile(bytes, (b) => sharp(b, { limitInputPixels: false }).metadata(), 1);
  const thumbOld = await perFile(bytes, (b) => onBackdrop(sharp(b, { limitInputPixels: 1e8, failOn: 'error' })).timeout({ seconds: 30 }).rotate()
    .resize(THUMB_SIZE, THUMB_SIZE, { fit: 'inside', withoutEnlargement: true }).png({ compressionLevel: 6 }).toBuffer({ resolveWithObject: true }), 1);
  const thumbNow = await perFile(bytes, (b) => smallPngThumbnail(b, THUMB_SIZE));

  const thumbs = bytes.map((b) => smallPngThumbnail(b, THUMB_SIZE)!);
  const results = thumbs.map((t, i) => ({ relPath: `c/f${i}.png`, ok: true, hash: 'h'.repeat(64), width: t.width, height: t.height, channels: t.channels, thumb: t.thumb, thumbWidth: t.width, thumbHeight: t.height }));
  const handOff = async (batch: number) => {
    const worker = new Worker('require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage(m));', { eval: true });
    try {
      return await perFile(chunks(results, batch), (c) => new Promise((resolve) => {
        worker.once('message', resolve);
        // Copies, so the transfer does not detach the originals between rounds.
        const out = c.map((r) => ({ ...r, thumb: r.thumb.slice() }));
        worker.postMessage(out, out.map((r) => r.thumb.buffer as ArrayBuffer));
      })) / batch;
    } finally {
      await worker.terminate();
    }
  };
  const handOld = await handOff(32);
  const handNow = await handOff(128);

  const insert = async (batch: number) => {
    const rows: NewSample[] = results.map((r, i) => ({ relPath: r.relPath, source: 'file', width: r.width, height: r.height, channels: r.channels, contentHash: createHash('sha256').update(bytes[i]!).digest('hex'), label: r.relPath.slice(0, 1), split: null, metadata: {}, image: { kind: 'thumb', format: 'png', width: r.width, height: r.height, data: r.thumb } }));
    let best = Infinity;
    for (let round = 0; round < 3; round++) {
      const file = join(dir, `split-${batch}-${round}.winnow`);
      const catalog = new Catalog(createProjectDb(file), file);
      const ds = catalog.findOrCreateDataset('folder', dir, 'split');
      const c0 = process.cpuUsage();
      for (const c of chunks(rows, batch)) catalog.insertSamples(ds, c);
      const c = process.cpuUsage(c0);
      best = Math.min(best, c.user + c.system);
      catalog.close();
    }
    return best / rows.length;
  };
  const insOld = await insert(32);
  const insNow = await insert(128);
  return [
    { stage: 'read the file', before: readOld, now: readNow },
    { stage: 'SHA-256', before: hash, now: hash },
    { stage: 'sharp metadata (size check)', before: metaOld, now: null },
    { stage: 'decode + thumbnail', before: thumbOld, now: thumbNow },
    { stage: 'worker → main hand-off', before: handOld, now: handNow },
    { stage: 'SQLite insert (sample + thumbnail)', before: insOld, now: insNow },
  ];
}

function chunks<T>(xs: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}
