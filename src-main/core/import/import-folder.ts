// Import of an image folder as a resumable job: files already in the catalog are skipped, so
// re-running after a crash or on a grown folder adds only what is missing.
import { existsSync, realpathSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { ImportSource } from '../../../src-shared/contract/dataset';
import type { ImportProblem, ImportSummary } from '../../../src-shared/model/import';
import { checkLabel } from '../../../src-shared/model/label';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog, NewSample } from '../catalog/catalog';
import type { JobContext } from '../jobs/job-manager';
import { workerEntry } from '../../workers/entries';
import { WorkerPool } from '../../workers/pool';
import type { DecodeResult, DecodeTask } from './decode-image';
import { readLabelsFile } from './labels-file';
import { labelFromPath, scanFolder } from './scan-folder';

/** The contract's folder source, less its `kind`. */
export type FolderImportParams = Omit<Extract<ImportSource, { kind: 'folder' }>, 'kind'>;

const BATCH = 32;
const IN_FLIGHT = 4;

interface Planned extends DecodeTask { label: string | null; metadata: NewSample['metadata'] }

export async function importFolder(catalog: Catalog, params: FolderImportParams, ctx: JobContext, workers = 2): Promise<ImportSummary> {
  const root = resolveRoot(params.path);
  const problems: ImportProblem[] = [];
  const warnings: string[] = [];
  const planned = params.labelsFile ? planFromLabelsFile(root, params.labelsFile, problems) : await planFromFolder(root, ctx.signal, problems);
  if (planned.length === 0 && problems.length === 0) throw new RpcError('bad_request', `no image files found under ${root}`);

  const datasetId = catalog.findOrCreateDataset('folder', root, basename(root));
  const existing = catalog.existingPaths(datasetId);
  const todo = planned.filter((p) => !existing.has(p.relPath));
  const skippedExisting = planned.length - todo.length;
  catalog.addImportProblems(ctx.jobId, problems);

  let added = 0;
  let done = skippedExisting;
  const total = planned.length;
  ctx.progress(done, total, skippedExisting ? `${skippedExisting} already imported` : 'decoding images');
  const pool = new WorkerPool<DecodeTask[], DecodeResult[]>(workerEntry('import-decode'), workers);
  const inflight: Array<Promise<DecodeResult[]>> = [];
  try {
    const batches: Planned[][] = [];
    for (let i = 0; i < todo.length; i += BATCH) batches.push(todo.slice(i, i + BATCH));
    let next = 0;
    const launch = () => {
      const b = batches[next++]!;
      const p = pool.run(b.map(({ relPath, absPath }) => ({ relPath, absPath })));
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
      const batchProblems: ImportProblem[] = [];
      for (const r of results) {
        if (!r.ok) { batchProblems.push({ path: r.relPath, reason: r.reason }); continue; }
        const p = byPath.get(r.relPath)!;
        rows.push({
          relPath: r.relPath, source: 'file', width: r.width, height: r.height, channels: r.channels, contentHash: r.hash,
          label: p.label, split: null, metadata: p.metadata,
          image: { kind: 'thumb', format: 'png', width: r.thumbWidth, height: r.thumbHeight, data: r.thumb },
        });
      }
      added += catalog.insertSamples(datasetId, rows);
      catalog.addImportProblems(ctx.jobId, batchProblems);
      done += results.length;
      ctx.progress(done, total, `${added} imported`);
    }
  } finally {
    await pool.close();
  }
  ctx.progress(total, total, 'done');
  return { datasetId, added, skippedExisting, failed: catalog.importProblems(ctx.jobId), warnings };
}

function resolveRoot(path: string): string {
  if (!existsSync(path)) throw new RpcError('not_found', `folder does not exist: ${path}`);
  if (!statSync(path).isDirectory()) throw new RpcError('bad_request', `not a folder: ${path}`);
  return realpathSync(path);
}

async function planFromFolder(root: string, signal: AbortSignal, problems: ImportProblem[]): Promise<Planned[]> {
  const files = await scanFolder(root, signal);
  const out: Planned[] = [];
  for (const f of files) {
    const check = checkLabel(labelFromPath(f.relPath));
    if (!check.ok) { problems.push({ path: f.relPath, reason: `folder name is not a usable label: ${check.reason}` }); continue; }
    out.push({ ...f, label: check.label, metadata: {} });
  }
  return out;
}

function planFromLabelsFile(root: string, file: string, problems: ImportProblem[]): Planned[] {
  const parsed = readLabelsFile(file);
  problems.push(...parsed.problems);
  const out: Planned[] = [];
  for (const row of parsed.rows) {
    const absPath = `${root}/${row.relPath}`;
    if (!existsSync(absPath)) { problems.push({ path: row.relPath, reason: 'listed in the labels file but not found in the folder' }); continue; }
    const check = checkLabel(row.label);
    if (!check.ok) { problems.push({ path: row.relPath, reason: check.reason }); continue; }
    out.push({ relPath: row.relPath, absPath, label: check.label, metadata: row.metadata });
  }
  return out;
}
