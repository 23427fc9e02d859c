// Embeds a reference folder with the model of the project's active embedding set, without
// adding a single row to the project: the folder is walked by the import's scanner, decoded and
// embedded by the one embedding pipeline (embed-pipeline.ts), and the vectors stay in memory.
// The images are fed exactly as the project's own were (byteSourceFor), so a reference of
// MNIST-like PNGs lands where the stored digits do.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ImportProblem } from '../../../src-shared/model/import';
import type { ReferenceSummary } from '../../../src-shared/model/reference';
import { RpcError } from '../../../src-shared/rpc/errors';
import type { Catalog } from '../catalog/catalog';
import type { ActiveSetInfo, EmbeddingStore } from '../embed/embedding-store';
import { runEmbedPipeline } from '../embed/embed-pipeline';
import { loadModel, type ModelSpec } from '../embed/model';
import { isBuiltin, resolveModel } from '../embed/model-source';
import { applyWhitening } from '../embed/whitening';
import type { PrepareItem } from '../embed/prepare-batch';
import { byteSourceFor } from '../embed/run-embed';
import { resolveRoot } from '../import/import-folder';
import { labelFromPath, scanFolder } from '../import/scan-folder';

export interface EmbeddedReference {
  summary: ReferenceSummary;
  dim: number;
  /** One row per embedded image, in `files` order. */
  vectors: Float32Array;
  /** Path inside the folder of each embedded image, and the label its first sub-folder implies. */
  files: string[];
  labels: Array<string | null>;
}

const BATCH = 64;

/**
 * Checks that the reference can be embedded like the project (its model is runnable, unchanged,
 * and the one the caller named), then embeds every image under `dir`. Throws before any work
 * when the folder holds no images or the model does not match.
 */
export async function embedReference(catalog: Catalog, embeddings: EmbeddingStore, dir: string, opts: { model?: string; signal: AbortSignal; progress?: (done: number, total: number, message: string) => void }): Promise<EmbeddedReference> {
  const set = embeddings.requireActive();
  const spec = runnableModel(set, opts.model);
  const whitening = embeddings.requireWhitening(set, 'a reference folder cannot be embedded like the project');
  const root = resolveRoot(dir);
  let scan: Awaited<ReturnType<typeof scanFolder>>;
  try {
    scan = await scanFolder(root, opts.signal);
  } catch (err) {
    if (opts.signal.aborted) throw err;
    throw new RpcError('io', `cannot read the reference folder ${root} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (scan.files.length === 0) throw new RpcError('bad_request', `no image files found in the reference folder ${root}`);

  const model = await loadModel(set.modelPath, spec, { device: 'auto', byteInput: byteSourceFor(catalog, spec) });
  const parts: Array<{ b: number; ids: number[]; vectors: Float32Array }> = [];
  const problems: ImportProblem[] = [...scan.problems];
  const total = scan.files.length;
  let done = 0;
  try {
    await runEmbedPipeline({
      model, spec, batchCount: Math.ceil(total / BATCH), signal: opts.signal,
      itemsOf: (b) => scan.files.slice(b * BATCH, (b + 1) * BATCH).map((f, t): PrepareItem => ({ sampleId: b * BATCH + t, kind: 'file', path: f.absPath })),
      onBatch: (prepared, raw, b) => {
        const vectors = whitening && prepared.ids.length ? applyWhitening(raw, prepared.ids.length, whitening) : raw;
        parts.push({ b, ids: prepared.ids, vectors });
        for (const f of prepared.failed) problems.push({ path: scan.files[f.sampleId]!.relPath, reason: f.reason });
        done = Math.min(total, (b + 1) * BATCH);
        opts.progress?.(done, total, `embedding the reference (${set.modelName})`);
      },
    });
  } finally {
    await model.session.release();
  }
  const dim = spec.embeddingDim;
  const rows = parts.flatMap((p) => p.ids.map((id, t) => ({ id, v: p.vectors.subarray(t * dim, (t + 1) * dim) })));
  if (rows.length === 0) throw new RpcError('bad_request', `none of the ${total} images in the reference folder ${root} could be decoded (first: ${problems[0]?.path}: ${problems[0]?.reason})`);
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => vectors.set(r.v, i * dim));
  const files = rows.map((r) => scan.files[r.id]!.relPath);
  problems.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return {
    summary: { root, images: rows.length, failedCount: problems.length, failed: problems.slice(0, 20), model: set.modelName },
    dim, vectors, files, labels: files.map(labelFromPath),
  };
}

/**
 * The active set's model spec, when its model can embed the reference: vectors imported from
 * elsewhere cannot, nor can a model file that changed since, nor another model than the one named.
 */
function runnableModel(set: ActiveSetInfo, asked: string | undefined): ModelSpec {
  if (!set.spec) throw new RpcError('precondition', `model mismatch: the project's vectors ("${set.modelName}") were made outside Winnow, so a reference folder cannot be embedded with the same model; import the reference's vectors into a project instead`);
  if (asked !== undefined) {
    const key = isBuiltin(asked) || existsSync(asked) ? resolveModel(asked).key : null;
    if (key !== set.modelKey) throw new RpcError('bad_request', `model mismatch: the project was embedded with "${set.modelName}", not ${asked}; a reference must be embedded with the project's own model (leave out --model)`);
  }
  if (!existsSync(set.modelPath)) throw new RpcError('precondition', `model mismatch: the project's model file ${set.modelPath} is missing, so the reference cannot be embedded like the project`);
  const sha = createHash('sha256').update(readFileSync(set.modelPath)).digest('hex');
  if (sha !== set.modelSha256) throw new RpcError('precondition', `model mismatch: the model file ${set.modelPath} changed since the project was embedded with it; embed the project again (winnow embed) or restore the file`);
  return set.spec;
}
