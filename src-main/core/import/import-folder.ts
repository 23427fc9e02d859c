// Import of an image folder as a resumable job: files already in the catalog are skipped, so
// re-running after a crash or on a grown folder adds only what is missing. Nothing one file or
// sub-folder does (unreadable, vanishing, slow, a link out of the folder) fails the job: it is
// reported with a reason and the rest is imported. The decode workers also make each image's look
// (signature and tile), stored with it; the last pass (import-looks.ts) makes any still missing.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { ImportSource } from '../../../src-shared/contract/dataset';
import type { ImportProblem, ImportSummary } from '../../../src-shared/model/import';
import { checkLabel } from '../../../src-shared/model/label';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog, NewSample } from '../catalog/catalog';
import type { JobContext } from '../jobs/job-manager';
import { workerEntry } from '../../workers/entries';
import { WorkerPool } from '../../workers/pool';
import { BATCH_SOFT_SECONDS, DECODE_TIMEOUT_SECONDS, MAX_PIXELS, type DecodeResult, type DecodeTask } from './decode-image';
import { summaryFailures } from './failures';
import { importLooks } from './import-looks';
import { lookWriter } from '../curate/appearance-store';
import type { Look } from '../curate/engine/look';
import { readLabelsFile } from './labels-file';
import { checkCandidate, layoutOf, scanFolder } from './scan-folder';

/** The contract's folder source, less its `kind`. */
export type FolderImportParams = Omit<Extract<ImportSource, { kind: 'folder' }>, 'kind'>;

// Files per worker message and per insert transaction: past ~100, message and commit overheads
// stop mattering (bench/import.ts --split); a dead worker's batch is retried a file at a time.
const BATCH = 128;
const IN_FLIGHT = 4;

interface Planned extends DecodeTask { label: string | null; split: string | null; metadata: NewSample['metadata'] }

export async function importFolder(catalog: Catalog, params: FolderImportParams, ctx: JobContext, workers = 2): Promise<ImportSummary> {
  const root = resolveRoot(params.path);
  const limits = decodeLimits(params);
  const problems: ImportProblem[] = [];
  const warnings: string[] = [];
  // A batch answers within BATCH_SOFT_SECONDS plus one file's budget; past that, its worker is stuck.
  const pool: { started: WorkerPool<DecodeTask[], DecodeResult[]> | null } = { started: null };
  const startPool = () => (pool.started ??= new WorkerPool<DecodeTask[], DecodeResult[]>(workerEntry('import-decode'), workers, (BATCH_SOFT_SECONDS + limits.timeoutSeconds + 60) * 1000));
  try {
    // A folder never imported before will keep the workers busy: they load their modules (a
    // good part of a small import) while it is scanned. A re-import starts them only if needed.
    if (!catalog.db.prepare("SELECT 1 FROM datasets WHERE kind = 'folder' AND root = ?").get(root)) startPool();
    return await importPlanned(catalog, root, params, ctx, limits, problems, warnings, startPool);
  } finally {
    await pool.started?.close();
  }
}

async function importPlanned(catalog: Catalog, root: string, params: FolderImportParams, ctx: JobContext, limits: ReturnType<typeof decodeLimits>, problems: ImportProblem[], warnings: string[], startPool: () => WorkerPool<DecodeTask[], DecodeResult[]>): Promise<ImportSummary> {
  const planned = params.labelsFile ? planFromLabelsFile(root, params.labelsFile, problems) : await planFromFolder(root, ctx.signal, problems);
  if (planned.length === 0 && problems.length === 0) throw new RpcError('bad_request', `no image files found under ${root}`);

  const datasetId = catalog.findOrCreateDataset('folder', root, basename(root));
  const existing = catalog.existingPaths(datasetId);
  const todo = planned.filter((p) => !existing.has(p.relPath));
  const skippedExisting = planned.length - todo.length;
  catalog.addImportProblems(ctx.jobId, problems);

  const putLook = lookWriter(catalog);
  let added = 0;
  let done = skippedExisting;
  const total = planned.length;
  ctx.progress(done, total, skippedExisting ? `${skippedExisting} already imported` : 'decoding images');
  const decode = (batch: Planned[]) => decodeBatch(startPool(), batch.map(({ relPath, absPath }) => ({ relPath, absPath, ...limits })), ctx.signal);
  const inflight: Array<Promise<DecodeResult[]>> = [];
  const batches: Planned[][] = [];
  for (let i = 0; i < todo.length; i += BATCH) batches.push(todo.slice(i, i + BATCH));
  let next = 0;
  const launch = () => {
    const p = decode(batches[next++]!);
    // Batches still in flight when the job is cancelled reject later; nobody awaits them.
    p.catch(() => {});
    inflight.push(p);
  };
  while (next < batches.length && inflight.length < IN_FLIGHT) launch();
  for (let i = 0; i < batches.length; i++) {
    ctx.signal.throwIfAborted();
    const results = await inflight.shift()!;
    if (next < batches.length) launch();
    const byPath = new Map(batches[i]!.map((p) => [p.relPath, p]));
    const rows: NewSample[] = [];
    const looks: Array<Look | null> = [];
    const batchProblems: ImportProblem[] = [];
    for (const r of results) {
      if (!r.ok) { batchProblems.push({ path: r.relPath, reason: r.reason }); continue; }
      const p = byPath.get(r.relPath)!;
      looks.push(r.look);
      rows.push({
        relPath: r.relPath, source: 'file', width: r.width, height: r.height, channels: r.channels, contentHash: r.hash,
        label: p.label, split: p.split, metadata: p.metadata,
        image: { kind: 'thumb', format: 'png', width: r.thumbWidth, height: r.thumbHeight, data: r.thumb, jpegQuant: r.jpegQuant },
      });
    }
    // Each look the worker made is stored with its sample; the last pass makes any it could not.
    added += catalog.insertSamples(datasetId, rows, (id, t) => { if (looks[t]) putLook(id, rows[t]!.contentHash, looks[t]!); });
    catalog.addImportProblems(ctx.jobId, batchProblems);
    done += results.length;
    ctx.progress(done, total, `${added} imported`);
  }
  await importLooks(catalog, datasetId, ctx);
  ctx.progress(total, total, 'done');
  return { datasetId, added, skippedExisting, ...summaryFailures(catalog, ctx.jobId), warnings };
}

function decodeLimits(params: FolderImportParams): { maxPixels: number; timeoutSeconds: number } {
  const mp = params.maxMegapixels;
  const s = params.decodeTimeoutSeconds;
  if (mp !== undefined && !(mp > 0 && mp <= 10_000)) throw new RpcError('bad_request', `the pixel limit must be between 0 and 10,000 megapixels, not ${mp}`);
  if (s !== undefined && !(Number.isInteger(s) && s >= 1 && s <= 3600)) throw new RpcError('bad_request', `the decode budget must be a whole number of seconds from 1 to 3600, not ${s}`);
  return { maxPixels: mp === undefined ? MAX_PIXELS : Math.round(mp * 1e6), timeoutSeconds: s ?? DECODE_TIMEOUT_SECONDS };
}

/**
 * Decodes one batch to one result per file, whatever happens to it: files a worker did not
 * reach before its soft deadline are sent again; a batch whose worker died or hung is retried
 * one file at a time, so only the file that does it is reported.
 */
async function decodeBatch(pool: WorkerPool<DecodeTask[], DecodeResult[]>, tasks: DecodeTask[], signal: AbortSignal): Promise<DecodeResult[]> {
  const out: DecodeResult[] = [];
  let rest = tasks;
  while (rest.length) {
    let results: DecodeResult[];
    try {
      results = await pool.run(rest);
    } catch (err) {
      if (signal.aborted) throw err;
      if (rest.length === 1) {
        out.push({ relPath: rest[0]!.relPath, ok: false, reason: `the decoder stopped on this file (${err instanceof Error ? err.message : String(err)})` });
        return out;
      }
      for (const t of rest) out.push(...(await decodeBatch(pool, [t], signal)));
      return out;
    }
    // A worker always answers for at least one file; an empty answer would loop forever.
    if (results.length === 0) throw new Error('import worker answered an empty batch');
    out.push(...results);
    rest = rest.slice(results.length);
  }
  return out;
}

export function resolveRoot(path: string): string {
  if (!existsSync(path)) throw new RpcError('not_found', `folder does not exist: ${path}`);
  if (!statSync(path).isDirectory()) throw new RpcError('bad_request', `not a folder: ${path}`);
  return realpathSync(path);
}

async function planFromFolder(root: string, signal: AbortSignal, problems: ImportProblem[]): Promise<Planned[]> {
  let scan: Awaited<ReturnType<typeof scanFolder>>;
  try {
    scan = await scanFolder(root, signal);
  } catch (err) {
    if (signal.aborted) throw err;
    throw new RpcError('io', `cannot read the folder ${root} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  problems.push(...scan.problems);
  const out: Planned[] = [];
  const layout = layoutOf(scan.files.map((f) => f.relPath));
  for (const f of scan.files) {
    const { label, split } = layout(f.relPath);
    const check = checkLabel(label);
    if (!check.ok) { problems.push({ path: f.relPath, reason: `folder name is not a usable label: ${check.reason}` }); continue; }
    out.push({ ...f, label: check.label, split, metadata: {} });
  }
  return out;
}

function planFromLabelsFile(root: string, file: string, problems: ImportProblem[]): Planned[] {
  const parsed = readLabelsFile(file);
  problems.push(...parsed.problems);
  const out: Planned[] = [];
  for (const row of parsed.rows) {
    const absPath = join(root, row.relPath);
    // The same rule as the folder scan: a regular file inside the folder, links resolved.
    const why = checkCandidate(root, absPath);
    if (why) { problems.push({ path: row.relPath, reason: why.startsWith('not found') ? 'listed in the labels file but not found in the folder' : why }); continue; }
    const check = checkLabel(row.label);
    if (!check.ok) { problems.push({ path: row.relPath, reason: check.reason }); continue; }
    // A split is shown and queried like a label, so it obeys the same rules.
    const split = checkLabel(row.split);
    if (!split.ok) { problems.push({ path: row.relPath, reason: `split: ${split.reason}` }); continue; }
    out.push({ relPath: row.relPath, absPath, label: check.label, split: split.label, metadata: row.metadata });
  }
  return out;
}
